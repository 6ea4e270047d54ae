//! The programming model: `program_id` and `num_programs` on 1-, 2- and 3-D
//! grids.

use persim::{Engine, Grid};

use crate::support::assert_exact;

/// Every program writes its id and the grid size on each axis into its own
/// row of six.
#[persim::kernel]
fn grid_coords(out: *mut i32) {
    let x = program_id(0);
    let y = program_id(1);
    let z = program_id(2);
    let nx = num_programs(0);
    let ny = num_programs(1);
    let row = out + ((z * ny + y) * nx + x) * 6;
    store(row, x);
    store(row + 1, y);
    store(row + 2, z);
    store(row + 3, nx);
    store(row + 4, ny);
    store(row + 5, num_programs(2));
}

fn check(engine: &Engine, grid: [u32; 3]) {
    let [nx, ny, nz] = grid.map(|d| d as i32);
    let count = (nx * ny * nz) as usize;
    let mut out = vec![-1i32; count * 6];
    grid_coords::launch(engine, Grid(grid), grid_coords::Args { out: &mut out }).unwrap();
    let mut want = Vec::with_capacity(count * 6);
    for z in 0..nz {
        for y in 0..ny {
            for x in 0..nx {
                want.extend([x, y, z, nx, ny, nz]);
            }
        }
    }
    assert_exact(&format!("grid {grid:?}"), &out, &want);
}

pub fn program_id_1d(engine: &Engine) {
    for n in [1, 7, 1000] {
        check(engine, [n, 1, 1]);
    }
}

pub fn program_id_2d(engine: &Engine) {
    check(engine, [3, 5, 1]);
    check(engine, [1, 7, 1]);
}

pub fn program_id_3d(engine: &Engine) {
    check(engine, [2, 3, 4]);
    check(engine, [1, 1, 7]);
}

//! The mesh as the mapper sees it: tiles, directed links and rectangles of
//! compute tiles.
//!
//! The mesh has `grid.cols` columns and `grid.rows + 1` rows; row 0 is the
//! shim row (off-chip ports, routers but no core). Links join neighbouring
//! tiles in both directions, shim row included, exactly the links the
//! simulator's NoC has ([`Resource::Link`]), so a route's links can be looked
//! up in a run's [`Stats`](crate::spatial::Stats).

use std::fmt;

use crate::spatial::coord::{Direction, TileCoord};
use crate::spatial::machine::Machine;
use crate::spatial::sim::Resource;

/// A directed mesh link: the one leaving `from` towards `dir`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Link {
    pub from: TileCoord,
    pub dir: Direction,
}

impl Link {
    pub fn new(from: TileCoord, dir: Direction) -> Link {
        Link { from, dir }
    }

    /// The tile the link enters. Only valid for links of a mesh (checked by
    /// [`Mesh::link_index`]); a link leaving the mesh has no end.
    pub fn to(self) -> TileCoord {
        let (c, r) = (self.from.col, self.from.row);
        match self.dir {
            Direction::North => TileCoord::new(c, r.wrapping_add(1)),
            Direction::East => TileCoord::new(c.wrapping_add(1), r),
            Direction::South => TileCoord::new(c, r.wrapping_sub(1)),
            Direction::West => TileCoord::new(c.wrapping_sub(1), r),
        }
    }

    /// The simulator resource this link is.
    pub fn resource(self) -> Resource {
        Resource::Link {
            from: self.from,
            dir: self.dir,
        }
    }
}

impl fmt::Display for Link {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}->{}", self.from, self.dir)
    }
}

/// The geometry of one machine's mesh, with dense numbering of tiles and links.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mesh {
    pub cols: u32,
    /// Compute rows; the mesh has `rows + 1` rows with the shim row 0.
    pub rows: u32,
}

impl Mesh {
    pub fn of(machine: &Machine) -> Mesh {
        Mesh {
            cols: machine.grid.cols,
            rows: machine.grid.rows,
        }
    }

    /// Tiles of the whole mesh (shim row included).
    pub fn tile_count(&self) -> usize {
        (self.cols * (self.rows + 1)) as usize
    }

    pub fn contains(&self, t: TileCoord) -> bool {
        u32::from(t.col) < self.cols && u32::from(t.row) <= self.rows
    }

    pub fn is_compute(&self, t: TileCoord) -> bool {
        self.contains(t) && !t.is_shim()
    }

    /// Dense index of a mesh tile, row-major from the shim row.
    pub fn tile_index(&self, t: TileCoord) -> usize {
        t.row as usize * self.cols as usize + t.col as usize
    }

    pub fn tile_at(&self, index: usize) -> TileCoord {
        let cols = self.cols as usize;
        TileCoord::new((index % cols) as u8, (index / cols) as u8)
    }

    /// The compute tiles in row-major order from row 1.
    pub fn compute_tiles(&self) -> impl Iterator<Item = TileCoord> + '_ {
        (1..=self.rows)
            .flat_map(move |r| (0..self.cols).map(move |c| TileCoord::new(c as u8, r as u8)))
    }

    /// Number of link slots (4 per tile; slots leaving the mesh are unused).
    pub fn link_slots(&self) -> usize {
        self.tile_count() * 4
    }

    /// Dense index of a link, or `None` if it leaves the mesh.
    pub fn link_index(&self, link: Link) -> Option<usize> {
        let inside = self.contains(link.from)
            && link
                .from
                .neighbour(link.dir, self.cols, self.rows)
                .is_some();
        inside.then(|| self.tile_index(link.from) * 4 + link.dir.index())
    }

    pub fn link_at(&self, index: usize) -> Link {
        let dir = Direction::from_index((index % 4) as u8).expect("4 directions");
        Link::new(self.tile_at(index / 4), dir)
    }

    /// The links leaving `t`, in direction order.
    pub fn out_links(&self, t: TileCoord) -> impl Iterator<Item = Link> + '_ {
        Direction::ALL
            .into_iter()
            .filter(move |&d| t.neighbour(d, self.cols, self.rows).is_some())
            .map(move |d| Link::new(t, d))
    }

    /// The dimension-order (X then Y) route from `a` to `b`, the route the
    /// simulator gives a DMA transfer between them.
    pub fn xy_route(&self, a: TileCoord, b: TileCoord) -> Vec<Link> {
        let mut links = Vec::new();
        let mut at = a;
        while at.col != b.col {
            let dir = if b.col > at.col {
                Direction::East
            } else {
                Direction::West
            };
            links.push(Link::new(at, dir));
            at = Link::new(at, dir).to();
        }
        while at.row != b.row {
            let dir = if b.row > at.row {
                Direction::North
            } else {
                Direction::South
            };
            links.push(Link::new(at, dir));
            at = Link::new(at, dir).to();
        }
        links
    }
}

/// A rectangle of compute tiles: columns `col..col + cols`, rows
/// `row..row + rows` (rows counted from 1, the first compute row).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rect {
    pub col: u32,
    pub row: u32,
    pub cols: u32,
    pub rows: u32,
}

impl Rect {
    /// Every compute tile of `machine`.
    pub fn whole(machine: &Machine) -> Rect {
        Rect {
            col: 0,
            row: 1,
            cols: machine.grid.cols,
            rows: machine.grid.rows,
        }
    }

    pub fn area(&self) -> u32 {
        self.cols * self.rows
    }

    pub fn contains(&self, t: TileCoord) -> bool {
        let (c, r) = (u32::from(t.col), u32::from(t.row));
        (self.col..self.col + self.cols).contains(&c)
            && (self.row..self.row + self.rows).contains(&r)
    }

    /// Tiles in row-major order.
    pub fn tiles(&self) -> impl Iterator<Item = TileCoord> + '_ {
        (self.row..self.row + self.rows).flat_map(move |r| {
            (self.col..self.col + self.cols).map(move |c| TileCoord::new(c as u8, r as u8))
        })
    }

    /// Hops between the nearest tiles of two rectangles (1 when they touch
    /// along an edge, 0 when they overlap).
    pub fn gap_to(&self, other: &Rect) -> u32 {
        let gap = |a0: u32, alen: u32, b0: u32, blen: u32| {
            if a0 + alen <= b0 {
                b0 - (a0 + alen - 1)
            } else if b0 + blen <= a0 {
                a0 - (b0 + blen - 1)
            } else {
                0
            }
        };
        gap(self.col, self.cols, other.col, other.cols)
            + gap(self.row, self.rows, other.row, other.rows)
    }

    /// Hops from `t` to the nearest tile of the rectangle.
    pub fn distance_to(&self, t: TileCoord) -> u32 {
        let gap = |x: u32, lo: u32, len: u32| {
            if x < lo {
                lo - x
            } else if x >= lo + len {
                x - (lo + len - 1)
            } else {
                0
            }
        };
        gap(u32::from(t.col), self.col, self.cols) + gap(u32::from(t.row), self.row, self.rows)
    }
}

impl fmt::Display for Rect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cols {}..{} x rows {}..{}",
            self.col,
            self.col + self.cols,
            self.row,
            self.row + self.rows
        )
    }
}

//! Tile coordinates and mesh directions.
//!
//! The mesh has `grid.cols` columns and `grid.rows + 1` rows: row 0 holds the
//! shim tiles (DMA to off-chip memory, no core), rows `1..=grid.rows` hold the
//! compute PEs — the AIE convention, so "north" is away from memory.

use std::fmt;

/// A tile of the mesh, `(col, row)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileCoord {
    pub col: u8,
    pub row: u8,
}

impl TileCoord {
    pub const fn new(col: u8, row: u8) -> TileCoord {
        TileCoord { col, row }
    }

    /// Whether this is a shim (row 0) tile.
    pub fn is_shim(self) -> bool {
        self.row == 0
    }

    /// The neighbour in `dir`, if the mesh (with `cols` columns and `rows`
    /// compute rows above the shim row) has one.
    pub fn neighbour(self, dir: Direction, cols: u32, rows: u32) -> Option<TileCoord> {
        let (c, r) = (i64::from(self.col), i64::from(self.row));
        let (c, r) = match dir {
            Direction::North => (c, r + 1),
            Direction::East => (c + 1, r),
            Direction::South => (c, r - 1),
            Direction::West => (c - 1, r),
        };
        let inside = (0..i64::from(cols)).contains(&c) && (0..=i64::from(rows)).contains(&r);
        inside.then(|| TileCoord::new(c as u8, r as u8))
    }

    /// Manhattan distance in hops.
    pub fn hops_to(self, other: TileCoord) -> u32 {
        u32::from(self.col.abs_diff(other.col)) + u32::from(self.row.abs_diff(other.row))
    }
}

impl fmt::Display for TileCoord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({},{})", self.col, self.row)
    }
}

/// A mesh direction; north is increasing row, east increasing column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    North = 0,
    East = 1,
    South = 2,
    West = 3,
}

impl Direction {
    pub const ALL: [Direction; 4] = [
        Direction::North,
        Direction::East,
        Direction::South,
        Direction::West,
    ];

    pub fn from_index(i: u8) -> Option<Direction> {
        Direction::ALL.get(usize::from(i)).copied()
    }

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn opposite(self) -> Direction {
        match self {
            Direction::North => Direction::South,
            Direction::East => Direction::West,
            Direction::South => Direction::North,
            Direction::West => Direction::East,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Direction::North => "north",
            Direction::East => "east",
            Direction::South => "south",
            Direction::West => "west",
        }
    }

    pub fn from_name(text: &str) -> Option<Direction> {
        Direction::ALL.into_iter().find(|d| d.name() == text)
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

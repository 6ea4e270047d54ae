//! The kernel IR: tile-typed SSA with structured control flow.
//!
//! See `ARCHITECTURE.md` for the design. In short: [`Function`] owns arenas of
//! ops, values and blocks ([`entities`]); every op is declared once in
//! [`opcodes`] with a typing rule in [`typing`]; [`builder`] builds typed IR,
//! [`verify`](mod@verify) checks it, [`print`](mod@print)/[`parse`](mod@parse) are the text format and
//! [`compare`] tells whether two functions are equal up to numbering.

pub mod attrs;
pub mod builder;
pub mod compare;
pub mod entities;
pub mod function;
pub mod opcodes;
pub mod parse;
pub mod print;
pub mod types;
pub mod typing;
pub mod verify;

pub use attrs::{Attr, Attrs, CmpPred, ReduceKind};
pub use builder::{infer_types, Builder, TypeError};
pub use compare::structurally_equal;
pub use entities::{Block, Op, Value};
pub use function::{
    BlockData, FuncKind, Function, Loc, Module, OpData, Param, ValueData, ValueDef, FUNCTION_ATTRS,
};
pub use opcodes::{Arity, Effect, OpInfo, Opcode, OP_TABLE};
pub use parse::{parse_function, parse_module, ParseError};
pub use print::print_function;
pub use types::{numel, Dtype, Elem, Shape, Type};
pub use verify::{verify, verify_lowered, verify_module, VerifyError};

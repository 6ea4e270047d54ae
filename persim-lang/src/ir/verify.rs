//! The verifier: the invariants every pass may assume of its input and must
//! keep in its output. It runs after the frontend and after every pass in
//! debug builds and tests; the first violation found is reported, with the
//! op's `file:line:col` and the op as printed (values numbered as
//! [`print_function`](super::print::print_function) numbers them).
//!
//! Only what is reachable from the body is checked: detached ops and unused
//! blocks may stay in the arenas as garbage.
//!
//! # `verify` checks
//!
//! Structure, checked first because everything after relies on it:
//!
//! 1. **Entity references are valid.** The body, every block used as a
//!    region, every op listed in a block and every value used as a block
//!    argument, result or operand exist in their arenas.
//! 2. **Ops and blocks form a tree.** Each reachable op is listed once, in
//!    one block, and its `parent` is that block; each region block belongs
//!    to one op, once, and its `parent` is that op; the body has no parent.
//! 3. **Definitions agree.** Argument `i` of block `b` has `def ==
//!    Arg(b, i)` and result `i` of op `o` has `def == Result(o, i)`, so every
//!    value has exactly one definition.
//!
//! The function:
//!
//! 4. **Signature.** The body's arguments match the parameters one to one,
//!    with equal types; a kernel declares no results; result types are
//!    well-formed.
//! 5. **Function attributes** have keys listed in
//!    [`FUNCTION_ATTRS`](super::function::FUNCTION_ATTRS).
//! 6. **Types are well-formed.** Tile dimensions and buffer lengths are
//!    positive and a type holds at most 2^32-1 elements (every parameter,
//!    block argument and result).
//!
//! Each op, in program order:
//!
//! 7. **Counts.** Operands, results and regions number what the op table
//!    declares.
//! 8. **Attributes.** Every required attribute is present; no attribute the
//!    table does not declare; no key twice.
//! 9. **Dominance with structured scoping.** An operand is defined earlier in
//!    the same block or in an enclosing block, or is an argument of the same
//!    or an enclosing block. Values defined inside a region are not visible
//!    after it; an op's results are not visible inside its own regions.
//! 10. **Result types** equal what the op's typing rule computes; for rules
//!     that leave them to the creator, `if` is checked by 14 and `call`'s are
//!     as declared.
//! 11. **Attribute values the typing rules do not read.** `call`'s `callee`
//!     and `custom`'s `name` and `symbol` are non-empty strings; the `arg` of
//!     `load`/`store` and of the atomics, when present, is the index of a
//!     pointer parameter.
//! 12. **Locations.** A known location's file index is below `files.len()`.
//! 13. **`for`.** The body's arguments are the induction variable (of the
//!     bounds' type) then one per carried value, of the init types.
//! 14. **`if`.** The condition is an `i1` scalar; both branches take no
//!     arguments.
//! 15. **`while`.** The before-region's and the after-region's arguments have
//!     the init types.
//!
//! Each block:
//!
//! 16. **Terminators.** A block is not empty, ends with a terminator, and has
//!     no terminator before its last op.
//! 17. **Terminator kinds match the block.** The body ends in `return`; a
//!     `for` body, an `if` branch and a `while` after-region end in `yield`;
//!     a `while` before-region ends in `condition`.
//! 18. **Terminator operands.** `return` passes the function's result types
//!     (none for a kernel); `yield` passes the `for`'s or `while`'s init
//!     types, or the `if`'s result types; `condition` passes an `i1` scalar
//!     then values of the `while`'s init types.
//!
//! Each `reduce_with` and `scan_with`:
//!
//! 19. **Combine regions** (`reduce_with`, `scan_with` over `k` tiles). The
//!     region takes `2k` scalars: the operands' element types, twice (running
//!     values, then an element's); it ends with `yield` of `k` scalars of
//!     those types; its ops are `const`, elementwise ops and `call`, and
//!     every value they use or define is a scalar. Values from enclosing
//!     blocks may be used (scalars only), as `cse` may merge a region's
//!     constant with an outer one.
//!
//! # `verify_module` checks
//!
//! Every function passes `verify`; names are distinct; and every `call`:
//!
//! - M1. names a function of the module (`callee`) that is a device
//!   function, not a kernel;
//! - M2. passes operands of the callee's parameter types, in number;
//! - M3. has results of the callee's result types, in number.
//!
//! Recursion is not a verifier matter: the IR can express it; the inliner
//! refuses it.
//!
//! # `verify_lowered` checks
//!
//! Everything `verify` checks, then the "Lowered IR" contract of
//! `ARCHITECTURE.md` for a target with `lanes` lanes:
//!
//! - L1. The function attribute `lanes` equals `lanes`; `local_mem` is a
//!   non-negative integer.
//! - L2. No `broadcast`, `expand_dims`, `reshape`, `trans`, `dot`, `cat`,
//!   `join`, `split`, `scan`, `reduce_with` or `scan_with`.
//! - L3. `reduce` reduces one `[lanes]` vector to a scalar.
//! - L4. `splat` produces one `[lanes]` vector.
//! - L5. `arange` produces `lanes` elements.
//! - L6. `alloc` offsets are multiples of 64 and each buffer ends within
//!   `local_mem`.
//! - L7. Every tile is a scalar or one `[lanes]` vector (op results and
//!   block arguments as ops are visited, then the parameters, so that an
//!   op-specific rule above is reported before this general one).

mod body;
mod lowered;
mod module;
mod structure;

pub use module::verify_module;

use super::entities::{Op, Value};
use super::function::Function;
use super::print::{op_summary, ValueNames};
use super::types::Type;
use std::cell::OnceCell;
use std::fmt;

/// The first invariant a function violates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyError {
    pub message: String,
    /// `file:line:col` of the offending op, or `@kernel` when the op has no
    /// known location or the fault is in the signature.
    pub location: String,
    /// The offending op as printed (regions elided), when there is one.
    pub op: Option<String>,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)?;
        if let Some(op) = &self.op {
            write!(f, "\n    {op}")?;
        }
        Ok(())
    }
}

impl std::error::Error for VerifyError {}

/// Checks invariants 1–19 above.
pub fn verify(f: &Function) -> Result<(), VerifyError> {
    let report = Report::new(f);
    structure::check(f, &report)?;
    body::check(f, &report)
}

/// Checks [`verify`]'s invariants, then the lowered-IR rules L1–L7 above for
/// a target with `lanes` lanes.
pub fn verify_lowered(f: &Function, lanes: u32) -> Result<(), VerifyError> {
    verify(f)?;
    lowered::check(f, lanes, &Report::new(f))
}

/// Builds errors that name values and ops as the printer does.
struct Report<'f> {
    f: &'f Function,
    /// Computed on the first error only: verifying valid IR, the common
    /// case after every pass, should not pay for numbering.
    names: OnceCell<ValueNames>,
}

impl<'f> Report<'f> {
    fn new(f: &'f Function) -> Report<'f> {
        Report {
            f,
            names: OnceCell::new(),
        }
    }

    fn names(&self) -> &ValueNames {
        self.names.get_or_init(|| ValueNames::new(self.f))
    }

    /// An error about `op`, located at its source location.
    fn at_op(&self, op: Op, message: impl Into<String>) -> VerifyError {
        let loc = self.f.ops.get(op).map(|d| d.loc);
        let location = match loc {
            Some(loc) if loc.is_known() => self.f.describe_loc(loc),
            _ => self.function_location(),
        };
        VerifyError {
            message: message.into(),
            location,
            op: Some(op_summary(self.f, self.names(), op)),
        }
    }

    /// An error about the function as a whole.
    fn at_function(&self, message: impl Into<String>) -> VerifyError {
        VerifyError {
            message: message.into(),
            location: self.function_location(),
            op: None,
        }
    }

    fn function_location(&self) -> String {
        format!("@{}", self.f.name)
    }

    /// `%N` as printed.
    fn value(&self, v: Value) -> String {
        self.names().name(v)
    }
}

/// `(i32, f32)`; `()` when empty.
fn type_list<'a>(types: impl IntoIterator<Item = &'a Type>) -> String {
    let list: Vec<String> = types.into_iter().map(Type::to_string).collect();
    format!("({})", list.join(", "))
}

//! The op table: every op of the kernel IR is declared here exactly once, with
//! its text name, operand/result/region counts, attributes, effect, typing rule
//! and documentation. The builder, printer, parser and verifier all read this
//! table; adding an op means adding one entry here and, if its result type is
//! computed, one rule in [`super::typing`].

use super::types::Type;
use super::typing::{self, TypingCtx};

/// How many operands or results an op has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arity {
    Exact(u8),
    /// Inclusive range.
    Range(u8, u8),
    AtLeast(u8),
}

impl Arity {
    pub fn accepts(self, n: usize) -> bool {
        match self {
            Arity::Exact(k) => n == k as usize,
            Arity::Range(lo, hi) => (lo as usize..=hi as usize).contains(&n),
            Arity::AtLeast(lo) => n >= lo as usize,
        }
    }
}

/// What an op does besides computing its results; drives DCE, CSE and LICM.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Result depends only on operands and attributes.
    Pure,
    /// Pure, but depends on which program instance runs it (`program_id`).
    Instance,
    /// Reads memory.
    Read,
    /// Writes memory (and may read it).
    Write,
    /// Structured control flow or a terminator; effects are those of its regions.
    Control,
    /// Touches no memory but must run where it stands: a check or message
    /// the host observes (`assert`, `print`) or a fact later passes rely on
    /// (`assume`). Never removed, merged or moved.
    Observe,
}

/// Result typing rule: `Ok(Some(types))` computes the result types from the
/// operands and attributes; `Ok(None)` means the creator declares them and the
/// verifier checks them structurally (`if`, `call`).
pub type InferFn = fn(&TypingCtx) -> Result<Option<Vec<Type>>, String>;

/// The declaration of one op.
#[derive(Debug)]
pub struct OpInfo {
    pub opcode: Opcode,
    pub name: &'static str,
    pub operands: Arity,
    pub results: Arity,
    pub regions: u8,
    /// Attributes the op must carry, in print order.
    pub attrs: &'static [&'static str],
    /// Attributes it may carry.
    pub optional_attrs: &'static [&'static str],
    pub effect: Effect,
    /// Ends a block (`yield`, `condition`, `return`).
    pub terminator: bool,
    pub infer: InferFn,
    pub doc: &'static str,
}

macro_rules! declare_ops {
    ($(
        $(#[doc = $doc:literal])+
        $variant:ident = $name:literal {
            operands: $operands:expr,
            results: $results:expr,
            regions: $regions:expr,
            attrs: [$($attr:literal),*],
            optional: [$($opt:literal),*],
            effect: $effect:ident,
            terminator: $term:expr,
            infer: $infer:path $(,)?
        }
    )*) => {
        /// Every op of the kernel IR. See [`OpInfo`] for each op's declaration.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Opcode { $($variant,)* }

        /// The op table, indexed by `Opcode as usize`.
        pub static OP_TABLE: &[OpInfo] = &[$(
            OpInfo {
                opcode: Opcode::$variant,
                name: $name,
                operands: $operands,
                results: $results,
                regions: $regions,
                attrs: &[$($attr),*],
                optional_attrs: &[$($opt),*],
                effect: Effect::$effect,
                terminator: $term,
                infer: $infer,
                doc: concat!($($doc, "\n"),+),
            },
        )*];
    };
}

use Arity::{AtLeast, Exact, Range};

declare_ops! {
    // ---- creation ------------------------------------------------------------
    /// A scalar constant of data type `ty`. `value` is an `Int`, `Float` or `Bool`.
    Const = "const" { operands: Exact(0), results: Exact(1), regions: 0,
        attrs: ["value", "ty"], optional: [], effect: Pure, terminator: false, infer: typing::constant }
    /// The index of this program instance along grid axis `axis` (0, 1 or 2), as `i32`.
    ProgramId = "program_id" { operands: Exact(0), results: Exact(1), regions: 0,
        attrs: ["axis"], optional: [], effect: Instance, terminator: false, infer: typing::grid_index }
    /// The number of program instances along grid axis `axis`, as `i32`.
    NumPrograms = "num_programs" { operands: Exact(0), results: Exact(1), regions: 0,
        attrs: ["axis"], optional: [], effect: Instance, terminator: false, infer: typing::grid_index }
    /// `tile<(hi-lo) x i32>` holding `lo, lo+1, ..., hi-1`.
    Arange = "arange" { operands: Exact(0), results: Exact(1), regions: 0,
        attrs: ["lo", "hi"], optional: [], effect: Pure, terminator: false, infer: typing::arange }
    /// A tile of shape `shape` with every element equal to the scalar operand.
    Splat = "splat" { operands: Exact(1), results: Exact(1), regions: 0,
        attrs: ["shape"], optional: [], effect: Pure, terminator: false, infer: typing::splat }
    /// Broadcast a tile to `shape` of the same rank; each source dimension is
    /// either equal to the target's or 1 (NumPy rules after rank alignment).
    Broadcast = "broadcast" { operands: Exact(1), results: Exact(1), regions: 0,
        attrs: ["shape"], optional: [], effect: Pure, terminator: false, infer: typing::broadcast }
    /// Insert a dimension of size 1 before dimension `axis` (0..=rank).
    ExpandDims = "expand_dims" { operands: Exact(1), results: Exact(1), regions: 0,
        attrs: ["axis"], optional: [], effect: Pure, terminator: false, infer: typing::expand_dims }
    /// Reinterpret a tile with the same number of elements in row-major order.
    Reshape = "reshape" { operands: Exact(1), results: Exact(1), regions: 0,
        attrs: ["shape"], optional: [], effect: Pure, terminator: false, infer: typing::reshape }
    /// Permute dimensions: result dimension `i` is source dimension `perm[i]`.
    Trans = "trans" { operands: Exact(1), results: Exact(1), regions: 0,
        attrs: ["perm"], optional: [], effect: Pure, terminator: false, infer: typing::trans }
    /// Convert each element to data type `to`: float<->int truncates toward zero
    /// and saturates (NaN becomes 0); int<->int wraps or extends by the source's
    /// signedness; to `i1` means `!= 0`.
    Cast = "cast" { operands: Exact(1), results: Exact(1), regions: 0,
        attrs: ["to"], optional: [], effect: Pure, terminator: false, infer: typing::cast }

    // ---- shape: concatenation, join, split -------------------------------------
    /// Concatenate `a` and `b` (one type but for dimension `axis`) along
    /// `axis`: the elements of `a` come first, then those of `b`, in order
    /// (Triton's `cat` may reorder elements; persim never does).
    Cat = "cat" { operands: Exact(2), results: Exact(1), regions: 0,
        attrs: ["axis"], optional: [], effect: Pure, terminator: false, infer: typing::cat }
    /// Stack two tiles of one type along a new innermost dimension of size 2:
    /// `r[.., 0] = a[..]`, `r[.., 1] = b[..]` (Triton's `join`).
    Join = "join" { operands: Exact(2), results: Exact(1), regions: 0,
        attrs: [], optional: [], effect: Pure, terminator: false, infer: typing::join }
    /// The inverse of `join`: a tile whose innermost dimension is 2 gives two
    /// tiles without it, `x[.., 0]` and `x[.., 1]` (Triton's `split`).
    Split = "split" { operands: Exact(1), results: Exact(2), regions: 0,
        attrs: [], optional: [], effect: Pure, terminator: false, infer: typing::split }

    // ---- elementwise arithmetic (operands of one type; tiles or scalars) -------
    /// `a + b`; integers wrap.
    Add = "add" { operands: Exact(2), results: Exact(1), regions: 0,
        attrs: [], optional: [], effect: Pure, terminator: false, infer: typing::arith }
    /// `a - b`; integers wrap.
    Sub = "sub" { operands: Exact(2), results: Exact(1), regions: 0,
        attrs: [], optional: [], effect: Pure, terminator: false, infer: typing::arith }
    /// `a * b`; integers wrap.
    Mul = "mul" { operands: Exact(2), results: Exact(1), regions: 0,
        attrs: [], optional: [], effect: Pure, terminator: false, infer: typing::arith }
    /// `a / b`. Integers truncate toward zero (C semantics); integer division by
    /// zero gives an unspecified value but never traps.
    Div = "div" { operands: Exact(2), results: Exact(1), regions: 0,
        attrs: [], optional: [], effect: Pure, terminator: false, infer: typing::arith }
    /// `a % b` with the sign of `a` (C semantics); floats as `fmod`. Integer
    /// remainder by zero gives an unspecified value but never traps.
    Rem = "rem" { operands: Exact(2), results: Exact(1), regions: 0,
        attrs: [], optional: [], effect: Pure, terminator: false, infer: typing::arith }
    /// Elementwise maximum. Floats: NaN if either is NaN.
    Maximum = "maximum" { operands: Exact(2), results: Exact(1), regions: 0,
        attrs: [], optional: [], effect: Pure, terminator: false, infer: typing::arith }
    /// Elementwise minimum. Floats: NaN if either is NaN.
    Minimum = "minimum" { operands: Exact(2), results: Exact(1), regions: 0,
        attrs: [], optional: [], effect: Pure, terminator: false, infer: typing::arith }
    /// Bitwise (or logical, on `i1`) and.
    And = "and" { operands: Exact(2), results: Exact(1), regions: 0,
        attrs: [], optional: [], effect: Pure, terminator: false, infer: typing::bitwise }
    /// Bitwise (or logical, on `i1`) or.
    Or = "or" { operands: Exact(2), results: Exact(1), regions: 0,
        attrs: [], optional: [], effect: Pure, terminator: false, infer: typing::bitwise }
    /// Bitwise (or logical, on `i1`) exclusive or.
    Xor = "xor" { operands: Exact(2), results: Exact(1), regions: 0,
        attrs: [], optional: [], effect: Pure, terminator: false, infer: typing::bitwise }
    /// Shift left; the shift amount is taken modulo the bit width.
    Shl = "shl" { operands: Exact(2), results: Exact(1), regions: 0,
        attrs: [], optional: [], effect: Pure, terminator: false, infer: typing::shift }
    /// Shift right, arithmetic for signed and logical for unsigned integers;
    /// the amount is taken modulo the bit width.
    Shr = "shr" { operands: Exact(2), results: Exact(1), regions: 0,
        attrs: [], optional: [], effect: Pure, terminator: false, infer: typing::shift }
    /// Compare elementwise with predicate `pred`; result elements are `i1`.
    /// Float comparisons are ordered (false on NaN) except `ne`.
    Cmp = "cmp" { operands: Exact(2), results: Exact(1), regions: 0,
        attrs: ["pred"], optional: [], effect: Pure, terminator: false, infer: typing::cmp }
    /// `-a` (signed integers and floats).
    Neg = "neg" { operands: Exact(1), results: Exact(1), regions: 0,
        attrs: [], optional: [], effect: Pure, terminator: false, infer: typing::neg }
    /// Bitwise not; logical not on `i1`.
    Not = "not" { operands: Exact(1), results: Exact(1), regions: 0,
        attrs: [], optional: [], effect: Pure, terminator: false, infer: typing::bitwise_unary }
    /// `e^a` (floats).
    Exp = "exp" { operands: Exact(1), results: Exact(1), regions: 0,
        attrs: [], optional: [], effect: Pure, terminator: false, infer: typing::float_unary }
    /// Natural logarithm (floats).
    Log = "log" { operands: Exact(1), results: Exact(1), regions: 0,
        attrs: [], optional: [], effect: Pure, terminator: false, infer: typing::float_unary }
    /// Square root (floats).
    Sqrt = "sqrt" { operands: Exact(1), results: Exact(1), regions: 0,
        attrs: [], optional: [], effect: Pure, terminator: false, infer: typing::float_unary }
    /// Absolute value; integers wrap (`abs(MIN) == MIN`).
    Abs = "abs" { operands: Exact(1), results: Exact(1), regions: 0,
        attrs: [], optional: [], effect: Pure, terminator: false, infer: typing::numeric_unary }
    /// `cond ? a : b` elementwise; `cond` is `i1` of the same shape.
    Select = "select" { operands: Exact(3), results: Exact(1), regions: 0,
        attrs: [], optional: [], effect: Pure, terminator: false, infer: typing::select }

    // ---- elementwise math (operands of one type; tiles or scalars) -------------
    /// `2^a` (floats).
    Exp2 = "exp2" { operands: Exact(1), results: Exact(1), regions: 0,
        attrs: [], optional: [], effect: Pure, terminator: false, infer: typing::float_unary }
    /// Base-2 logarithm (floats).
    Log2 = "log2" { operands: Exact(1), results: Exact(1), regions: 0,
        attrs: [], optional: [], effect: Pure, terminator: false, infer: typing::float_unary }
    /// `1 / sqrt(a)` (floats). The interpreter rounds once; backends may
    /// round the square root and the quotient separately (an ulp apart).
    Rsqrt = "rsqrt" { operands: Exact(1), results: Exact(1), regions: 0,
        attrs: [], optional: [], effect: Pure, terminator: false, infer: typing::float_unary }
    /// The error function (floats).
    Erf = "erf" { operands: Exact(1), results: Exact(1), regions: 0,
        attrs: [], optional: [], effect: Pure, terminator: false, infer: typing::float_unary }
    /// Sine, in radians (floats).
    Sin = "sin" { operands: Exact(1), results: Exact(1), regions: 0,
        attrs: [], optional: [], effect: Pure, terminator: false, infer: typing::float_unary }
    /// Cosine, in radians (floats).
    Cos = "cos" { operands: Exact(1), results: Exact(1), regions: 0,
        attrs: [], optional: [], effect: Pure, terminator: false, infer: typing::float_unary }
    /// Largest integral value not above `a` (floats; exact).
    Floor = "floor" { operands: Exact(1), results: Exact(1), regions: 0,
        attrs: [], optional: [], effect: Pure, terminator: false, infer: typing::float_unary }
    /// Smallest integral value not below `a` (floats; exact).
    Ceil = "ceil" { operands: Exact(1), results: Exact(1), regions: 0,
        attrs: [], optional: [], effect: Pure, terminator: false, infer: typing::float_unary }
    /// `a * b + c` rounded once (floats).
    Fma = "fma" { operands: Exact(3), results: Exact(1), regions: 0,
        attrs: [], optional: [], effect: Pure, terminator: false, infer: typing::fma }
    /// The high half of the double-width product of `a` and `b` taken as
    /// unsigned integers (`i32 u32 i64 u64`; the bits are reinterpreted in
    /// the operand type, as Triton's `umulhi`).
    Umulhi = "umulhi" { operands: Exact(2), results: Exact(1), regions: 0,
        attrs: [], optional: [], effect: Pure, terminator: false, infer: typing::umulhi }

    // ---- hints, assertions and printing ---------------------------------------------
    /// `a` itself, with the promise that every element is a multiple of
    /// `divisor` (integers). Range analysis rounds `a`'s range to multiples.
    /// A false promise is undefined behaviour; the interpreter reports it.
    MultipleOf = "multiple_of" { operands: Exact(1), results: Exact(1), regions: 0,
        attrs: ["divisor"], optional: [], effect: Pure, terminator: false, infer: typing::int_hint }
    /// `a` itself, with the promise that its elements come in runs of `count`
    /// consecutive integers (integers; Triton's `max_contiguous`).
    MaxContiguous = "max_contiguous" { operands: Exact(1), results: Exact(1), regions: 0,
        attrs: ["count"], optional: [], effect: Pure, terminator: false, infer: typing::int_hint }
    /// Promise that the `i1` scalar operand is true. Range analysis uses
    /// comparisons it asserts (see `passes::ranges`). A false promise is
    /// undefined behaviour; the interpreter reports it.
    Assume = "assume" { operands: Exact(1), results: Exact(0), regions: 0,
        attrs: [], optional: [], effect: Observe, terminator: false, infer: typing::assume }
    /// Fail the program instance with `message` unless every element of the
    /// `i1` operand (scalar or tile) is true.
    Assert = "assert" { operands: Exact(1), results: Exact(0), regions: 0,
        attrs: ["message"], optional: [], effect: Observe, terminator: false, infer: typing::assert }
    /// Print `prefix` and the elements of the operand, each with its
    /// program instance and index; with no operand, `prefix` alone. After
    /// lowering the operand may be a scalar followed by its `i32` index in
    /// each dimension of the tile it came from.
    Print = "print" { operands: AtLeast(0), results: Exact(0), regions: 0,
        attrs: ["prefix"], optional: [], effect: Observe, terminator: false, infer: typing::print }

    // ---- memory ----------------------------------------------------------------
    /// Pointer arithmetic: `ptr + offset` elements (not bytes), elementwise.
    PtrAdd = "ptr_add" { operands: Exact(2), results: Exact(1), regions: 0,
        attrs: [], optional: [], effect: Pure, terminator: false, infer: typing::ptr_add }
    /// Load from global memory through a tile of pointers. Optional `mask`
    /// (`i1`, same shape): masked-off lanes are not accessed and yield `other`
    /// (default zero). `arg` (optional) is the index of the kernel parameter
    /// every pointer derives from, for checked mode's diagnostics.
    Load = "load" { operands: Range(1, 3), results: Exact(1), regions: 0,
        attrs: [], optional: ["arg"], effect: Read, terminator: false, infer: typing::load }
    /// A hint that the memory a tile of pointers addresses will be read
    /// soon, or written with `write = 1`: hosts issue a cache prefetch per
    /// vector (`prefetchw` for a write); nothing is accessed, so any
    /// address is allowed (`prefetch-next-programs` emits it for the next
    /// programs' loads and stores). Other backends ignore it.
    Prefetch = "prefetch" { operands: Exact(1), results: Exact(0), regions: 0,
        attrs: [], optional: ["write"], effect: Observe, terminator: false, infer: typing::prefetch }
    /// Store `value` through a tile of pointers; masked-off lanes are not
    /// accessed. `arg` as for `load`.
    Store = "store" { operands: Range(2, 3), results: Exact(0), regions: 0,
        attrs: [], optional: ["arg"], effect: Write, terminator: false, infer: typing::store }

    // ---- atomics -------------------------------------------------------------------
    // Each lane, in row-major order, atomically (sequentially consistent, across
    // all program instances) reads `*p`, writes the combination of the old
    // value and `val`, and yields the old value. Optional `mask` (`i1`, same
    // shape): a masked-off lane does not access memory and yields zero.
    // Element types: i32, u32, i64, u64, f32, f64. `arg` as for `load`.
    // Effect `Write`: never removed, merged or moved.
    /// Atomic `*p = *p + val`; integers wrap, floats round once.
    AtomicAdd = "atomic_add" { operands: Range(2, 3), results: Exact(1), regions: 0,
        attrs: [], optional: ["arg"], effect: Write, terminator: false, infer: typing::atomic_rmw }
    /// Atomic `*p = maximum(*p, val)` (the `maximum` op's semantics: NaN wins).
    AtomicMax = "atomic_max" { operands: Range(2, 3), results: Exact(1), regions: 0,
        attrs: [], optional: ["arg"], effect: Write, terminator: false, infer: typing::atomic_rmw }
    /// Atomic `*p = minimum(*p, val)` (the `minimum` op's semantics: NaN wins).
    AtomicMin = "atomic_min" { operands: Range(2, 3), results: Exact(1), regions: 0,
        attrs: [], optional: ["arg"], effect: Write, terminator: false, infer: typing::atomic_rmw }
    /// Atomic `*p = val`.
    AtomicXchg = "atomic_xchg" { operands: Range(2, 3), results: Exact(1), regions: 0,
        attrs: [], optional: ["arg"], effect: Write, terminator: false, infer: typing::atomic_rmw }
    /// `atomic_cas(ptrs, cmp, val, mask?)`: atomic `if *p == cmp { *p = val }`,
    /// comparing bit patterns (so `-0.0 != 0.0` and a NaN equals itself);
    /// yields the old value. Triton's `atomic_cas` has no mask; the lowering
    /// adds one to skip the padded lanes of a partial vector.
    AtomicCas = "atomic_cas" { operands: Range(3, 4), results: Exact(1), regions: 0,
        attrs: [], optional: ["arg"], effect: Write, terminator: false, infer: typing::atomic_cas }

    // ---- reductions and linear algebra -------------------------------------------
    /// Reduce along `axis` with `kind`; the axis is removed. `sum`, `prod`,
    /// `max` and `min` give a value of the operand's type, `argmax` and
    /// `argmin` the `i32` index of the first extreme element (NaN counts as
    /// the extreme, `-0.0 == +0.0`).
    Reduce = "reduce" { operands: Exact(1), results: Exact(1), regions: 0,
        attrs: ["kind", "axis"], optional: [], effect: Pure, terminator: false, infer: typing::reduce }
    /// Reduce the `k` operand tiles (one shape) along `axis` with a user
    /// combine function: the one region takes `2k` scalars (a running value
    /// of each operand's element type, then an element of each) and `yield`s
    /// the `k` combined scalars. Results are the operands' types without the
    /// axis. The order of combination is unspecified (Triton's `tt.reduce`).
    ReduceWith = "reduce_with" { operands: AtLeast(1), results: AtLeast(1), regions: 1,
        attrs: ["axis"], optional: [], effect: Pure, terminator: false, infer: typing::reduce_with }
    /// `a @ b + acc` for `a: MxK`, `b: KxN`, `acc: MxN`. `a` and `b` share a data
    /// type; the products are accumulated in `acc`'s type.
    Dot = "dot" { operands: Exact(3), results: Exact(1), regions: 0,
        attrs: [], optional: [], effect: Pure, terminator: false, infer: typing::dot }

    // ---- scans ---------------------------------------------------------------------
    /// Inclusive scan along `axis` with `kind` (`sum`, `prod`, `max` or
    /// `min`): element `i` combines elements `0..=i` in order, or `i..n` from
    /// the end when `reverse` is true. The shape and type are kept.
    Scan = "scan" { operands: Exact(1), results: Exact(1), regions: 0,
        attrs: ["kind", "axis", "reverse"], optional: [], effect: Pure, terminator: false, infer: typing::scan }
    /// Inclusive scan of the `k` operand tiles (one shape) along `axis` with
    /// a user combine region as `reduce_with`'s: element `i` of the results
    /// is `combine(running, x[i])` where `running` combines elements `0..i`,
    /// or `i+1..n` when `reverse` is true (Triton's `tt.scan`).
    ScanWith = "scan_with" { operands: AtLeast(1), results: AtLeast(1), regions: 1,
        attrs: ["axis", "reverse"], optional: [], effect: Pure, terminator: false, infer: typing::scan_with }

    // ---- structured control flow ---------------------------------------------------
    /// `for iv in lo..hi step step` carrying `inits`. One region whose arguments
    /// are the induction variable then the carried values, ended by `yield` of
    /// the next carried values. Results are the final carried values.
    /// `unrolled` (optional): the factor `unroll-loops` copied the body by,
    /// so that it does not copy it again.
    For = "for" { operands: AtLeast(3), results: AtLeast(0), regions: 1,
        attrs: [], optional: ["unrolled", "mask_tail", "stages"], effect: Control, terminator: false, infer: typing::for_loop }
    /// `if cond`: two argument-less regions (then, else), each ended by `yield`
    /// of values of the result types.
    If = "if" { operands: Exact(1), results: AtLeast(0), regions: 2,
        attrs: [], optional: [], effect: Control, terminator: false, infer: typing::declared }
    /// `while` carrying `inits`: the *before* region (arguments: carried values)
    /// ends with `condition %c, values`; if `%c` the *after* region runs with
    /// those values as arguments and `yield`s the next carried values, else the
    /// loop ends with them as results.
    While = "while" { operands: AtLeast(0), results: AtLeast(0), regions: 2,
        attrs: [], optional: [], effect: Control, terminator: false, infer: typing::while_loop }
    /// Ends a `for` body, `if` branch or `while` after-region.
    Yield = "yield" { operands: AtLeast(0), results: Exact(0), regions: 0,
        attrs: [], optional: [], effect: Control, terminator: true, infer: typing::no_results }
    /// Ends a `while` before-region: continue if the `i1` operand is true.
    Condition = "condition" { operands: AtLeast(1), results: Exact(0), regions: 0,
        attrs: [], optional: [], effect: Control, terminator: true, infer: typing::no_results }
    /// Ends the function body, passing the function's results (none for a
    /// kernel, the declared result types for a device function).
    Return = "return" { operands: AtLeast(0), results: Exact(0), regions: 0,
        attrs: [], optional: [], effect: Control, terminator: true, infer: typing::no_results }
    /// Call the device function `callee` of the same module with the operands
    /// as its parameters; the results are its `return` operands. Calls exist
    /// only before inlining (`passes::inline`): no backend lowers them.
    /// Conservatively `Write`, since the callee may store.
    Call = "call" { operands: AtLeast(0), results: AtLeast(0), regions: 0,
        attrs: ["callee"], optional: [], effect: Write, terminator: false, infer: typing::declared }
    /// A user-registered custom op applied elementwise: for each element, the
    /// host function `name` (library symbol `symbol`) of the operands'
    /// elements, giving an element of data type `ret`. Operands are data
    /// tiles of one shape; the result has that shape. The op is pure: the
    /// registration promises a function of its arguments only, which may be
    /// called any number of times (including on padded lanes) in any order.
    Custom = "custom" { operands: AtLeast(1), results: Exact(1), regions: 0,
        attrs: ["name", "symbol", "ret"], optional: [], effect: Pure, terminator: false, infer: typing::custom }

    // ---- lowered IR: local buffers -----------------------------------------------------
    /// A buffer in local memory of type `ty` at byte `offset` of the instance's
    /// local memory. `tile` (optional) is the type of the tile the buffer was
    /// made for, for diagnostics.
    Alloc = "alloc" { operands: Exact(0), results: Exact(1), regions: 0,
        attrs: ["ty", "offset"], optional: ["tile"], effect: Pure, terminator: false, infer: typing::alloc }
    /// Read `lanes` consecutive elements of a buffer from element index `idx`
    /// (an `i32` scalar): a scalar if `lanes` is 0, else a `tile<lanes x E>`.
    BufLoad = "buf_load" { operands: Exact(2), results: Exact(1), regions: 0,
        attrs: ["lanes"], optional: [], effect: Read, terminator: false, infer: typing::buf_load }
    /// Write a scalar or a 1-D tile to a buffer from element index `idx`.
    BufStore = "buf_store" { operands: Exact(3), results: Exact(0), regions: 0,
        attrs: [], optional: [], effect: Write, terminator: false, infer: typing::buf_store }
    /// `d = c + a·b` on f32 buffers, for targets with a matrix unit
    /// (`Target::matmul_op`): `a` is `m x k` with row pitch `lda`, `b` is
    /// `k x n` with pitch `ldb`, `c` and `d` are `m x n` with pitch `ldc`.
    /// Each element is `c[i,j]`, then `+ a[i,kk]*b[kk,j]` for `kk` in
    /// increasing order, each product and sum rounded (as `dot`). Element
    /// `(i,j)` of `c` is read before that of `d` is written, so `d` may be
    /// `c`; `d` must not overlap `a` or `b`. With `row0`, the product is
    /// rows `row0 .. row0 + m` of `a`, `c` and `d` (the same pitches): a
    /// block of rows of a larger product, which `early-write-out` makes.
    /// With `arow0`, that block's rows of `a` start at row `arow0` instead
    /// (its tile sits in pieces in several buffers:
    /// `interleave-three-final-steps`).
    BufMatmul = "buf_matmul" { operands: Exact(4), results: Exact(0), regions: 0,
        attrs: ["m", "n", "k", "lda", "ldb", "ldc"], optional: ["row0", "arow0"], effect: Write, terminator: false, infer: typing::buf_matmul }
    /// Copy `count` elements from global memory at scalar pointer `src` into
    /// buffer `buf` from element index `idx` (`count <= 0` copies nothing).
    /// Made by `bulk-copies` for targets that move memory in blocks
    /// (`Target::bulk_copies`: a DMA engine), from a loop's contiguous
    /// loads; `arg` as for `load`.
    /// `async` (optional, `true`): the copy may still be in flight until
    /// the next `copy_wait`, and nothing reads the bytes it writes before
    /// that (`double-buffer` double buffering). Sequentially, as the
    /// interpreter runs it, it is the same copy.
    /// With three more `i32` operands `rows, src_stride, dst_stride`, a 2-D
    /// block: row `r` copies `count` elements from `src + r·src_stride` to
    /// `buf[idx + r·dst_stride ..]` (strides in elements; `rows <= 0`
    /// copies nothing): an affine tile load whose rows are walks (lowered
    /// directly for DMA targets with `Target::affine_tiles`).
    CopyIn = "copy_in" { operands: Range(4, 7), results: Exact(0), regions: 0,
        attrs: [], optional: ["arg", "async"], effect: Write, terminator: false, infer: typing::copy_in }
    /// `buf[idx + l] = load(ptrs, mask, other)[l]` for each lane `l`: a
    /// vector `load` whose value goes straight into a buffer, for DMA
    /// targets (`bulk-copies`, when the pointers are no walk it can see):
    /// the backend may merge consecutive gathers whose lanes are
    /// contiguous into one transfer and finish them later, before the
    /// buffer is next read. `arg` as for `load`.
    CopyGather = "copy_gather" { operands: Range(3, 5), results: Exact(0), regions: 0,
        attrs: [], optional: ["arg"], effect: Write, terminator: false, infer: typing::copy_gather }
    /// Waits until every `async` `copy_in` started before it has landed
    /// (with `out = true`: every `async` `copy_out`).
    CopyWait = "copy_wait" { operands: Exact(0), results: Exact(0), regions: 0,
        attrs: [], optional: ["out"], effect: Write, terminator: false, infer: typing::no_results }
    /// Copy `count` elements of buffer `buf` from element index `idx` to
    /// global memory at scalar pointer `dst` (`count <= 0` copies nothing):
    /// the block form of a loop's contiguous stores, as `copy_in`.
    /// `async` (optional, `true`): may still be in flight until the next
    /// `copy_wait {out = true}`; nothing touches its bytes before that.
    /// With `rows, dst_stride, src_stride` after `count`, a 2-D block as
    /// for `copy_in` (global stride first).
    /// `tail` (optional, `true`): a block of a result leaving as the run
    /// ends (`early-write-out`), which a target may route otherwise (the
    /// spatial one spreads these over its shims); the same copy.
    CopyOut = "copy_out" { operands: Range(4, 7), results: Exact(0), regions: 0,
        attrs: [], optional: ["arg", "async", "tail"], effect: Write, terminator: false, infer: typing::copy_out }
}

impl Opcode {
    pub fn info(self) -> &'static OpInfo {
        &OP_TABLE[self as usize]
    }

    pub fn name(self) -> &'static str {
        self.info().name
    }

    pub fn from_name(name: &str) -> Option<Opcode> {
        OP_TABLE.iter().find(|i| i.name == name).map(|i| i.opcode)
    }

    pub fn is_terminator(self) -> bool {
        self.info().terminator
    }

    pub fn effect(self) -> Effect {
        self.info().effect
    }

    /// Elementwise ops apply lane by lane to operands of one shape.
    pub fn is_elementwise(self) -> bool {
        use Opcode::*;
        matches!(
            self,
            Add | Sub
                | Mul
                | Div
                | Rem
                | Maximum
                | Minimum
                | And
                | Or
                | Xor
                | Shl
                | Shr
                | Cmp
                | Neg
                | Not
                | Exp
                | Log
                | Sqrt
                | Abs
                | Select
                | Cast
                | PtrAdd
                | Custom
                | Exp2
                | Log2
                | Rsqrt
                | Erf
                | Sin
                | Cos
                | Floor
                | Ceil
                | Fma
                | Umulhi
                | MultipleOf
                | MaxContiguous
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_indexed_by_opcode_and_names_are_unique() {
        for (i, info) in OP_TABLE.iter().enumerate() {
            assert_eq!(info.opcode as usize, i, "{} out of order", info.name);
            assert_eq!(Opcode::from_name(info.name), Some(info.opcode));
            assert!(!info.doc.trim().is_empty());
        }
    }
}

//! A kernel function: arenas of ops, values and blocks, plus the kernel's
//! signature. Op data is kept apart from op order: a block lists its ops, an op
//! lists its region blocks, and passes reorder ops by editing those lists.

use super::attrs::Attrs;
use super::entities::{Block, Op, Value};
use super::opcodes::Opcode;
use super::types::Type;
use cranelift_entity::PrimaryMap;
use smallvec::SmallVec;

/// A source location: file index into [`Function::files`], 1-based line and
/// column. `line == 0` means unknown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Loc {
    pub file: u32,
    pub line: u32,
    pub col: u32,
}

impl Loc {
    pub const UNKNOWN: Loc = Loc {
        file: 0,
        line: 0,
        col: 0,
    };
    pub fn new(file: u32, line: u32, col: u32) -> Loc {
        Loc { file, line, col }
    }
    pub fn is_known(self) -> bool {
        self.line != 0
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct OpData {
    pub opcode: Opcode,
    pub operands: SmallVec<[Value; 4]>,
    pub results: SmallVec<[Value; 2]>,
    pub attrs: Attrs,
    /// Region bodies, in the order the op's declaration gives.
    pub regions: SmallVec<[Block; 2]>,
    pub loc: Loc,
    /// The block this op sits in; `None` once detached.
    pub parent: Option<Block>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct BlockData {
    pub args: Vec<Value>,
    pub ops: Vec<Op>,
    /// The op whose region this block is; `None` for the function body.
    pub parent: Option<Op>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueDef {
    /// Result number `n` of an op.
    Result(Op, u32),
    /// Argument number `n` of a block.
    Arg(Block, u32),
}

#[derive(Clone, Debug, PartialEq)]
pub struct ValueData {
    pub ty: Type,
    pub def: ValueDef,
}

/// A kernel parameter. Constexpr parameters are not parameters of the IR:
/// they are substituted before the IR is built and recorded in
/// [`Function::consts`].
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub name: String,
    pub ty: Type,
    /// For pointer parameters: whether the kernel may store through it.
    pub mutable: bool,
}

/// The keys a [`Function::attrs`] entry may have. Function-level facts are
/// declared here once, as op attributes are in the op table, so the text
/// parser can give keys their `&'static str` and refuse unknown ones, and the
/// verifier can refuse keys the parser would not read back. A pass that
/// records a new fact adds its key here.
pub static FUNCTION_ATTRS: &[&str] = &[
    // Elements per hardware vector after lowering.
    "lanes",
    // Bytes of local memory one program instance needs after lowering.
    "local_mem",
];

/// What a function is: an entry point launched over a grid, or a device
/// function that kernels call (and the inliner inlines).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum FuncKind {
    /// Launched over a grid; returns nothing (results go through pointers).
    #[default]
    Kernel,
    /// Called with `call`; returns [`Function::results`].
    Device,
}

impl FuncKind {
    /// The keyword of the text format: `kernel` or `func`.
    pub fn keyword(self) -> &'static str {
        match self {
            FuncKind::Kernel => "kernel",
            FuncKind::Device => "func",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Function {
    pub name: String,
    pub kind: FuncKind,
    pub params: Vec<Param>,
    /// The types `return` passes back to the caller (device functions only;
    /// a kernel's is empty).
    pub results: Vec<Type>,
    /// The constexpr values this function was specialized with.
    pub consts: Vec<(String, i64)>,
    /// Source files referenced by [`Loc::file`].
    pub files: Vec<String>,
    /// Function-level facts set by passes (for instance `lanes`,
    /// `local_mem` after lowering), printed in the header.
    pub attrs: Attrs,
    pub body: Block,
    pub ops: PrimaryMap<Op, OpData>,
    pub values: PrimaryMap<Value, ValueData>,
    pub blocks: PrimaryMap<Block, BlockData>,
}

impl Function {
    /// A kernel whose body block has one argument per parameter.
    pub fn new(name: impl Into<String>, params: Vec<Param>) -> Function {
        let mut blocks = PrimaryMap::new();
        let body = blocks.push(BlockData::default());
        let mut f = Function {
            name: name.into(),
            kind: FuncKind::Kernel,
            params: Vec::new(),
            results: Vec::new(),
            consts: Vec::new(),
            files: Vec::new(),
            attrs: Attrs::new(),
            body,
            ops: PrimaryMap::new(),
            values: PrimaryMap::new(),
            blocks,
        };
        for p in &params {
            f.add_block_arg(body, p.ty.clone());
        }
        f.params = params;
        f
    }

    /// A device function returning `results`.
    pub fn device(name: impl Into<String>, params: Vec<Param>, results: Vec<Type>) -> Function {
        let mut f = Function::new(name, params);
        f.kind = FuncKind::Device;
        f.results = results;
        f
    }

    pub fn ty(&self, v: Value) -> &Type {
        &self.values[v].ty
    }

    pub fn op(&self, op: Op) -> &OpData {
        &self.ops[op]
    }

    pub fn block_args(&self, b: Block) -> &[Value] {
        &self.blocks[b].args
    }

    pub fn block_ops(&self, b: Block) -> &[Op] {
        &self.blocks[b].ops
    }

    /// The op defining `v`, if it is an op result.
    pub fn def_op(&self, v: Value) -> Option<Op> {
        match self.values[v].def {
            ValueDef::Result(op, _) => Some(op),
            ValueDef::Arg(..) => None,
        }
    }

    pub fn param_value(&self, i: usize) -> Value {
        self.blocks[self.body].args[i]
    }

    pub fn new_block(&mut self) -> Block {
        self.blocks.push(BlockData::default())
    }

    pub fn add_block_arg(&mut self, b: Block, ty: Type) -> Value {
        let n = self.blocks[b].args.len() as u32;
        let v = self.values.push(ValueData {
            ty,
            def: ValueDef::Arg(b, n),
        });
        self.blocks[b].args.push(v);
        v
    }

    /// Create a detached op with fresh result values of the given types. The
    /// caller places it with [`Function::append_op`] or [`Function::insert_op`].
    pub fn create_op(
        &mut self,
        opcode: Opcode,
        operands: &[Value],
        attrs: Attrs,
        regions: &[Block],
        result_types: Vec<Type>,
        loc: Loc,
    ) -> Op {
        let op = self.ops.push(OpData {
            opcode,
            operands: SmallVec::from_slice(operands),
            results: SmallVec::new(),
            attrs,
            regions: SmallVec::from_slice(regions),
            loc,
            parent: None,
        });
        for (i, ty) in result_types.into_iter().enumerate() {
            let v = self.values.push(ValueData {
                ty,
                def: ValueDef::Result(op, i as u32),
            });
            self.ops[op].results.push(v);
        }
        for &r in regions {
            self.blocks[r].parent = Some(op);
        }
        op
    }

    pub fn append_op(&mut self, block: Block, op: Op) {
        self.ops[op].parent = Some(block);
        self.blocks[block].ops.push(op);
    }

    /// Insert `op` at position `index` of `block`.
    pub fn insert_op(&mut self, block: Block, index: usize, op: Op) {
        self.ops[op].parent = Some(block);
        self.blocks[block].ops.insert(index, op);
    }

    /// Detach `op` from its block (its data stays in the arena).
    pub fn detach_op(&mut self, op: Op) {
        if let Some(b) = self.ops[op].parent.take() {
            self.blocks[b].ops.retain(|&o| o != op);
        }
    }

    /// Replace every use of `from` by `to` in ops reachable from the body.
    pub fn replace_uses(&mut self, from: Value, to: Value) {
        let mut ops = Vec::new();
        self.walk(self.body, &mut |op| ops.push(op));
        for op in ops {
            for v in self.ops[op].operands.iter_mut() {
                if *v == from {
                    *v = to;
                }
            }
        }
    }

    /// Visit every op reachable from `block` in program order, parents before
    /// the ops of their regions.
    pub fn walk(&self, block: Block, f: &mut impl FnMut(Op)) {
        for &op in &self.blocks[block].ops {
            f(op);
            for &r in &self.ops[op].regions {
                self.walk(r, f);
            }
        }
    }

    /// All ops reachable from the body, in program order.
    pub fn all_ops(&self) -> Vec<Op> {
        let mut v = Vec::new();
        self.walk(self.body, &mut |op| v.push(op));
        v
    }

    /// Number of ops reachable from the body.
    pub fn op_count(&self) -> usize {
        self.all_ops().len()
    }

    /// Index of a file name in [`Function::files`], adding it if new.
    pub fn file_index(&mut self, name: &str) -> u32 {
        match self.files.iter().position(|f| f == name) {
            Some(i) => i as u32,
            None => {
                self.files.push(name.to_string());
                (self.files.len() - 1) as u32
            }
        }
    }

    /// `file:line:col` of a location, for diagnostics.
    pub fn describe_loc(&self, loc: Loc) -> String {
        if !loc.is_known() {
            return "<unknown location>".into();
        }
        let file = self
            .files
            .get(loc.file as usize)
            .map_or("?", String::as_str);
        format!("{file}:{}:{}", loc.line, loc.col)
    }
}

/// A set of functions with distinct names: kernels and the device functions
/// they call. The frontend puts the kernel first, then each device function
/// specialization in the order it was first called.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Module {
    pub funcs: Vec<Function>,
}

impl Module {
    pub fn get(&self, name: &str) -> Option<&Function> {
        self.funcs.iter().find(|f| f.name == name)
    }

    pub fn get_mut(&mut self, name: &str) -> Option<&mut Function> {
        self.funcs.iter_mut().find(|f| f.name == name)
    }

    /// Remove and return the function `name`.
    pub fn take(&mut self, name: &str) -> Option<Function> {
        let i = self.funcs.iter().position(|f| f.name == name)?;
        Some(self.funcs.remove(i))
    }
}

/// A module of one function.
impl From<Function> for Module {
    fn from(f: Function) -> Module {
        Module { funcs: vec![f] }
    }
}

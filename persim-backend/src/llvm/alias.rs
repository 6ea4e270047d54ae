//! Alias scopes: what LLVM may assume about which memory accesses overlap.
//!
//! persim knows two facts LLVM cannot see through the kernel ABI (every
//! pointer comes out of the `args` array):
//!
//! - **different parameters never alias when one is written** (the launch
//!   API takes Rust slices; ARCHITECTURE.md, "Invariants"), so a global
//!   access through parameter `i` gets scope `arg<i>` and `noalias` with
//!   every other parameter's scope — and with every local buffer, which
//!   lives in the runtime's scratch memory;
//! - **buffers are byte ranges of local memory** fixed at compile time
//!   (`alloc`'s `offset`), so a buffer access gets scope `buf<k>` and
//!   `noalias` with every parameter and with the buffers whose bytes are
//!   disjoint from its own. Buffers that `pack-buffers` placed on shared
//!   bytes (disjoint lifetimes) are *not* declared disjoint: their
//!   accesses must stay ordered.
//!
//! A prefetch reads and writes nothing the kernel can observe, yet LLVM
//! models `llvm.prefetch` as touching its argument's memory; unscoped, it
//! keeps `LICM` from promoting a running sum's buffer stores out of a loop
//! that also prefetches. So a prefetch gets its own scope, `noalias` with
//! every parameter and every buffer.
//!
//! Atomics get no scopes: they are fences (ARCHITECTURE.md) and LLVM
//! orders every access around a sequentially consistent atomic anyway.
//! Scopes are named by strings prefixed with the kernel's symbol, so
//! kernels sharing a module (ahead-of-time libraries) never share scopes.

use super::memory::Scope;
use super::translate::Translator;
use inkwell::context::Context;
use inkwell::values::{
    BasicMetadataValueEnum, BasicValue, BasicValueEnum, InstructionValue, MetadataValue,
};
use persim_lang::ir::{Function, Op, Opcode, Type, Value};
use std::cell::RefCell;
use std::collections::HashMap;

/// One buffer: its `alloc` and byte range.
struct BufferRange {
    alloc: Op,
    value: Value,
    start: i64,
    end: i64,
}

pub(crate) struct AliasScopes<'ctx> {
    cx: &'ctx Context,
    params: Vec<MetadataValue<'ctx>>,
    prefetch: MetadataValue<'ctx>,
    buffers: Vec<(BufferRange, MetadataValue<'ctx>)>,
    /// `(alias.scope, noalias)` lists per access kind, built on first use.
    lists: RefCell<HashMap<ScopeKey, (MetadataValue<'ctx>, MetadataValue<'ctx>)>>,
    scope_kind: u32,
    noalias_kind: u32,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum ScopeKey {
    Param(u32),
    Buffer(Op),
    Prefetch,
}

impl<'ctx> AliasScopes<'ctx> {
    pub fn new(cx: &'ctx Context, func: &Function) -> AliasScopes<'ctx> {
        let prefix = format!("persim.{}", func.name);
        let domain = cx.metadata_node(&[cx.metadata_string(&prefix).into()]);
        let scope = |name: String| {
            cx.metadata_node(&[
                cx.metadata_string(&format!("{prefix}.{name}")).into(),
                domain.into(),
            ])
        };
        let params = (0..func.params.len())
            .map(|i| scope(format!("arg{i}")))
            .collect();
        let prefetch = scope("prefetch".to_string());
        let mut buffers = Vec::new();
        for op in func.all_ops() {
            let data = func.op(op);
            if data.opcode != Opcode::Alloc {
                continue;
            }
            let (Some(&value), Some(offset)) = (data.results.first(), data.attrs.int("offset"))
            else {
                continue;
            };
            if let Type::Buf { elem, len } = func.ty(value) {
                let end = offset + *len as i64 * elem.size_bytes() as i64;
                let s = scope(format!("buf{}", buffers.len()));
                buffers.push((
                    BufferRange {
                        alloc: op,
                        value,
                        start: offset,
                        end,
                    },
                    s,
                ));
            }
        }
        AliasScopes {
            cx,
            params,
            prefetch,
            buffers,
            lists: RefCell::new(HashMap::new()),
            scope_kind: cx.get_kind_id("alias.scope"),
            noalias_kind: cx.get_kind_id("noalias"),
        }
    }

    /// The `alloc` of a buffer value, if it is one this function allocates.
    pub fn buffer_of(&self, v: Value) -> Option<Op> {
        self.buffers
            .iter()
            .find(|(b, _)| b.value == v)
            .map(|(b, _)| b.alloc)
    }

    fn list(&self, scopes: Vec<MetadataValue<'ctx>>) -> MetadataValue<'ctx> {
        let items: Vec<BasicMetadataValueEnum> = scopes.into_iter().map(Into::into).collect();
        self.cx.metadata_node(&items)
    }

    fn lists(&self, key: ScopeKey) -> Option<(MetadataValue<'ctx>, MetadataValue<'ctx>)> {
        if let Some(l) = self.lists.borrow().get(&key) {
            return Some(*l);
        }
        let all_buffers = self.buffers.iter().map(|(_, s)| *s);
        let (own, others): (MetadataValue, Vec<MetadataValue>) = match key {
            ScopeKey::Param(i) => {
                let own = *self.params.get(i as usize)?;
                let others = self
                    .params
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| j != i as usize)
                    .map(|(_, s)| *s)
                    .chain(all_buffers)
                    .collect();
                (own, others)
            }
            ScopeKey::Buffer(op) => {
                let (me, own) = self.buffers.iter().find(|(b, _)| b.alloc == op)?;
                let disjoint = self
                    .buffers
                    .iter()
                    .filter(|(b, _)| b.alloc != op && (b.end <= me.start || me.end <= b.start))
                    .map(|(_, s)| *s);
                (*own, self.params.iter().copied().chain(disjoint).collect())
            }
            ScopeKey::Prefetch => (
                self.prefetch,
                self.params.iter().copied().chain(all_buffers).collect(),
            ),
        };
        let l = (self.list(vec![own]), self.list(others));
        self.lists.borrow_mut().insert(key, l);
        Some(l)
    }

    fn apply(&self, inst: InstructionValue<'ctx>, scope: Scope) {
        let key = match scope {
            Scope::Param(Some(i)) => ScopeKey::Param(i),
            Scope::Param(None) => return,
            Scope::Buffer(op) => ScopeKey::Buffer(op),
            Scope::Prefetch => ScopeKey::Prefetch,
        };
        if let Some((own, others)) = self.lists(key) {
            // Both are metadata nodes, which is all `set_metadata` checks.
            let _ = inst.set_metadata(own, self.scope_kind);
            let _ = inst.set_metadata(others, self.noalias_kind);
        }
    }
}

impl<'a, 'ctx> Translator<'a, 'ctx> {
    /// Attach the alias scopes of `scope` to the instruction making `x`.
    pub(crate) fn scoped(&self, x: BasicValueEnum<'ctx>, scope: Scope) {
        if let Some(i) = x.as_instruction_value() {
            self.alias.apply(i, scope);
        }
    }

    pub(crate) fn scoped_inst(&self, i: InstructionValue<'ctx>, scope: Scope) {
        self.alias.apply(i, scope);
    }
}

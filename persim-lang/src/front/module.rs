//! Building a module at launch: the kernel and one specialization of each
//! device function per distinct argument types (monomorphization).
//!
//! A call of a device function is lowered in its caller's [`Lowerer`]:
//! the arguments are checked against the callee's signature, the callee is
//! specialized for their types and constexpr values (once per combination;
//! named like `silu<tile<128xf32>>`), and a `call` op is emitted. The
//! specialization is built by a fresh `Lowerer` over the callee's own
//! tokens, whose calls come back here. The shared state lives in a
//! `RefCell` borrowed only briefly, never across the lowering of a body.
//!
//! Recursion: the functions being specialized form a stack; a call of a
//! function already on it is recursion, reported at that call. (A
//! recursive device function could only be inlined forever, and its
//! specializations need not even be finitely many: `f(x)` calling
//! `f(expand_dims(x, 0))` changes types at each level.)

use super::device::{lower_device, ArgBinding};
use super::diag::Diagnostic;
use super::func_sig::{parse_func_sig, FuncSig};
use super::source::{Dep, FuncSource};
use super::srcmap::{SourceMap, TokenPositions};
use crate::ir::{Function, Type};
use proc_macro2::Span;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// What a lowering needs to resolve and specialize the calls of the body
/// it lowers: the body's dependency table and the module being built.
#[derive(Clone, Copy)]
pub(crate) struct Calls<'m> {
    pub deps: &'static [Dep],
    pub module: &'m RefCell<ModuleState>,
}

/// A device function's source, parsed once per launch.
pub(crate) struct Parsed {
    pub src: &'static FuncSource,
    pub item: syn::ItemFn,
    pub sig: FuncSig,
    pub positions: TokenPositions,
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct SpecKey {
    /// The source, by address: two functions of one name in different
    /// modules are different functions.
    src: usize,
    args: Vec<Type>,
    consts: Vec<i64>,
}

/// A finished specialization.
#[derive(Clone, Debug)]
pub(crate) struct Spec {
    pub name: String,
    pub results: Vec<Type>,
}

#[derive(Default)]
pub(crate) struct ModuleState {
    /// Device function specializations, in the order they were finished.
    pub funcs: Vec<Function>,
    specs: HashMap<SpecKey, Spec>,
    parsed: HashMap<usize, Rc<Parsed>>,
    /// Functions being specialized: source address and name.
    stack: Vec<(usize, &'static str)>,
    /// Every specialization name handed out (including those being built).
    names: HashSet<String>,
}

fn addr(src: &'static FuncSource) -> usize {
    src as *const FuncSource as usize
}

impl ModuleState {
    /// `src` parsed (cached).
    pub fn parse(&mut self, src: &'static FuncSource) -> Result<Rc<Parsed>, Diagnostic> {
        if let Some(p) = self.parsed.get(&addr(src)) {
            return Ok(p.clone());
        }
        let fail = |what: String| {
            let mut d = Diagnostic::new(
                Span::call_site(),
                format!("device function `{}`: {what}", src.name),
            );
            d.location = src
                .locs
                .first()
                .map(|(l, c)| format!("{}:{l}:{c}", src.file));
            d
        };
        let tokens: proc_macro2::TokenStream = src
            .text
            .parse()
            .map_err(|e| fail(format!("cannot tokenize the recorded source: {e}")))?;
        let positions = TokenPositions::new(&tokens, src.locs);
        let item: syn::ItemFn = syn::parse2(tokens)
            .map_err(|e| fail(format!("cannot parse the recorded source: {e}")))?;
        let (sig, errors) = parse_func_sig(&item);
        if let Some(first) = errors.into_iter().next() {
            let locate = |s| positions.locate(s);
            let map = SourceMap::new(src.file, &locate);
            return Err(Diagnostic {
                location: map.describe(first.span),
                ..first
            });
        }
        let parsed = Rc::new(Parsed {
            src,
            item,
            sig,
            positions,
        });
        self.parsed.insert(addr(src), parsed.clone());
        Ok(parsed)
    }
}

/// The specialization of `callee` for these argument types and constexpr
/// values, built if new. `call` locates a recursion error.
pub(crate) fn specialize(
    module: &RefCell<ModuleState>,
    callee: &Rc<Parsed>,
    bindings: Vec<ArgBinding>,
    generics: &[(String, crate::ir::Dtype)],
    call: Span,
) -> Result<Spec, Diagnostic> {
    let key = SpecKey {
        src: addr(callee.src),
        args: bindings.iter().filter_map(|b| b.ir_type()).collect(),
        consts: bindings.iter().filter_map(ArgBinding::value).collect(),
    };
    {
        let state = module.borrow();
        if let Some(spec) = state.specs.get(&key) {
            return Ok(spec.clone());
        }
        if let Some(at) = state.stack.iter().position(|&(a, _)| a == key.src) {
            let mut chain: Vec<String> = state.stack[at..]
                .iter()
                .map(|(_, n)| format!("`{n}`"))
                .collect();
            chain.push(format!("`{}`", callee.src.name));
            let what = if chain.len() == 2 {
                format!("`{}` calls itself", callee.src.name)
            } else {
                format!("the calls {} form a cycle", chain.join(" -> "))
            };
            return Err(Diagnostic::new(
                call,
                format!("recursive call: {what}; device functions are inlined into their callers, so they cannot recurse"),
            ));
        }
    }
    let name = mangle(module, callee, &bindings);
    module.borrow_mut().stack.push((key.src, callee.src.name));
    let src = callee.src;
    let locate = |s| callee.positions.locate(s);
    let map = SourceMap::new(src.file, &locate);
    let calls = Calls {
        deps: src.deps,
        module,
    };
    let built = lower_device(
        &callee.item,
        &callee.sig,
        &bindings,
        generics,
        Some((name.clone(), &map)),
        Some(calls),
    );
    module.borrow_mut().stack.pop();
    let f = built?.func.ok_or_else(|| {
        super::lowerer::internal(callee.sig.name_span, "no device function was built")
    })?;
    let spec = Spec {
        name,
        results: f.results.clone(),
    };
    let mut state = module.borrow_mut();
    state.funcs.push(f);
    state.specs.insert(key, spec.clone());
    Ok(spec)
}

/// `name<arg types, CONST=value>`, made unique in the module (two device
/// functions of one name in different Rust modules get `#2`, `#3`, ...).
fn mangle(module: &RefCell<ModuleState>, callee: &Parsed, bindings: &[ArgBinding]) -> String {
    let parts: Vec<String> = callee
        .sig
        .params
        .iter()
        .zip(bindings)
        .filter_map(|(p, b)| match b {
            ArgBinding::Runtime { .. } => b.ir_type().map(|t| t.to_string()),
            ArgBinding::Const { .. } => b.value().map(|v| format!("{}={v}", p.name)),
            ArgBinding::Deferred => None,
        })
        .collect();
    let base = format!("{}<{}>", callee.src.name, parts.join(", "));
    let mut state = module.borrow_mut();
    let name = if state.names.contains(&base) {
        (2..)
            .map(|i| format!("{base}#{i}"))
            .find(|n| !state.names.contains(n))
            .expect("some suffix is free")
    } else {
        base
    };
    state.names.insert(name.clone());
    name
}

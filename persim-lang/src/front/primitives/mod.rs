//! The primitives kernels call, as a table: name, parameters, whether it
//! takes a type argument (`zeros::<f16>`), and the function that lowers it.
//! Adding a primitive is one entry here plus its lowering function in the
//! module of its family.

mod args;
mod atomic;
mod block_ptr;
mod combine_fn;
mod control;
mod creation;
mod debug;
mod hints;
mod linalg;
mod math;
mod math_more;
mod memory;
mod program;
mod reduce;
mod scan;
mod shape;

use super::diag::Diagnostic;
use super::dtype_syntax::turbofish_dtype;
use super::lowerer::Lowerer;
use super::value::Val;
use crate::ir::Dtype;
use proc_macro2::Span;
use syn::spanned::Spanned;

/// Whether a primitive takes a type argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeArg {
    None,
    Optional,
    Required,
}

/// One call of a primitive or method, its arguments not yet lowered (each
/// primitive decides which are values, shapes or compile-time integers).
pub struct CallSite<'e> {
    pub name: String,
    /// The function or method name token.
    pub span: Span,
    pub dtype: Option<Dtype>,
    generics_span: Option<Span>,
    pub args: Vec<&'e syn::Expr>,
}

impl<'e> CallSite<'e> {
    pub fn new(
        name: &str,
        span: Span,
        generics: &syn::PathArguments,
        args: Vec<&'e syn::Expr>,
    ) -> Result<CallSite<'e>, Diagnostic> {
        let (dtype, generics_span) = match generics {
            syn::PathArguments::None => (None, None),
            syn::PathArguments::AngleBracketed(a) => {
                (Some(turbofish_dtype(a)?), Some(a.lt_token.span))
            }
            syn::PathArguments::Parenthesized(p) => {
                return Err(Diagnostic::new(
                    p.span(),
                    "unexpected parenthesized type arguments",
                ))
            }
        };
        Ok(CallSite {
            name: name.to_string(),
            span,
            dtype,
            generics_span,
            args,
        })
    }
}

pub type LowerFn = fn(&mut Lowerer, &CallSite) -> Result<Option<Val>, Diagnostic>;
pub type LowerMethodFn = fn(&mut Lowerer, Val, &CallSite) -> Result<Val, Diagnostic>;

/// A callable's declaration: `params` name the arguments, a trailing `?`
/// marks an optional one.
pub struct Primitive {
    pub name: &'static str,
    pub params: &'static [&'static str],
    pub type_arg: TypeArg,
    pub lower: LowerFn,
}

pub struct Method {
    pub name: &'static str,
    pub params: &'static [&'static str],
    pub type_arg: TypeArg,
    pub lower: LowerMethodFn,
}

macro_rules! primitives {
    ($($name:literal ($($param:literal),*) $type_arg:ident => $lower:path;)*) => {
        /// Every primitive kernels can call.
        pub static PRIMITIVES: &[Primitive] = &[$(Primitive {
            name: $name,
            params: &[$($param),*],
            type_arg: TypeArg::$type_arg,
            lower: $lower,
        },)*];
    };
}

primitives! {
    // programming model
    "program_id"(  "axis") None => program::program_id;
    "num_programs"("axis") None => program::num_programs;
    // creation
    "arange"("lo", "hi") None => creation::arange;
    "zeros"("shape") Optional => creation::zeros;
    "zeros_like"("x") None => creation::zeros_like;
    "full"("shape", "value") None => creation::full;
    "cast"("x") Required => math::cast;
    // memory
    "load"("ptrs", "mask?", "other?") None => memory::load;
    "store"("ptrs", "value", "mask?") None => memory::store;
    "make_block_ptr"("base", "shape", "strides", "offsets", "block_shape", "order") None => block_ptr::make_block_ptr;
    "advance"("bp", "offsets") None => block_ptr::advance;
    // atomics
    "atomic_add"("ptrs", "val", "mask?") None => atomic::atomic_add;
    "atomic_max"("ptrs", "val", "mask?") None => atomic::atomic_max;
    "atomic_min"("ptrs", "val", "mask?") None => atomic::atomic_min;
    "atomic_xchg"("ptrs", "val", "mask?") None => atomic::atomic_xchg;
    "atomic_cas"("ptrs", "cmp", "val") None => atomic::atomic_cas;
    // math
    "exp"("x") None => math::exp;
    "log"("x") None => math::log;
    "sqrt"("x") None => math::sqrt;
    "abs"("x") None => math::abs;
    "maximum"("a", "b") None => math::maximum;
    "minimum"("a", "b") None => math::minimum;
    "where_"("cond", "a", "b") None => math::where_;
    "cdiv"("a", "b") None => math::cdiv;
    "exp2"("x") None => math::exp2;
    "log2"("x") None => math::log2;
    "rsqrt"("x") None => math::rsqrt;
    "erf"("x") None => math::erf;
    "sin"("x") None => math::sin;
    "cos"("x") None => math::cos;
    "floor"("x") None => math::floor;
    "ceil"("x") None => math::ceil;
    "sigmoid"("x") None => math_more::sigmoid;
    "clamp"("x", "lo", "hi") None => math_more::clamp;
    "fma"("a", "b", "c") None => math_more::fma;
    "umulhi"("a", "b") None => math_more::umulhi;
    // hints and debugging
    "multiple_of"("x", "k") None => hints::multiple_of;
    "max_contiguous"("x", "k") None => hints::max_contiguous;
    "assume"("cond") None => hints::assume;
    "static_assert"("cond", "msg?") None => debug::static_assert;
    "device_assert"("cond", "msg?") None => debug::device_assert;
    "device_print"("prefix", "x?") None => debug::device_print;
    // shape
    "expand_dims"("x", "axis") None => shape::expand_dims;
    "broadcast_to"("x", "shape") None => shape::broadcast_to;
    "reshape"("x", "shape") None => shape::reshape;
    "trans"("x", "perm?") None => shape::trans;
    "permute"("x", "dims") None => shape::permute;
    "cat"("a", "b", "axis?") None => shape::cat;
    "join"("a", "b") None => shape::join;
    "split"("x") None => shape::split;
    // control
    "static_range"("lo", "hi?", "step?") None => control::static_range;
    // reductions and linear algebra
    "sum"("x", "axis") None => reduce::sum;
    "max"("x", "axis") None => reduce::max;
    "min"("x", "axis") None => reduce::min;
    "argmax"("x", "axis") None => reduce::argmax;
    "argmin"("x", "axis") None => reduce::argmin;
    "cumsum"("x", "axis", "reverse?") None => scan::cumsum;
    "cumprod"("x", "axis", "reverse?") None => scan::cumprod;
    "reduce"("x", "axis", "combine") None => combine_fn::reduce;
    "associative_scan"("x", "axis", "combine", "reverse?") None => combine_fn::associative_scan;
    "dot"("a", "b", "acc?") None => linalg::dot;
}

/// Every method of tiles and scalars.
pub static METHODS: &[Method] = &[
    Method {
        name: "to",
        params: &[],
        type_arg: TypeArg::Required,
        lower: math::to,
    },
    Method {
        name: "expand_dims",
        params: &["axis"],
        type_arg: TypeArg::None,
        lower: shape::expand_dims_method,
    },
];

pub fn lookup(name: &str) -> Option<&'static Primitive> {
    PRIMITIVES.iter().find(|p| p.name == name)
}

pub fn lookup_method(name: &str) -> Option<&'static Method> {
    METHODS.iter().find(|m| m.name == name)
}

/// `.to::<T>()` and `.expand_dims(axis)`, for messages.
pub fn method_list() -> String {
    let all: Vec<String> = METHODS
        .iter()
        .map(|m| format!("`.{}`", signature(m.name, m.params, m.type_arg)))
        .collect();
    all.join(" and ")
}

fn signature(name: &str, params: &[&str], type_arg: TypeArg) -> String {
    let generics = if type_arg == TypeArg::None {
        ""
    } else {
        "::<T>"
    };
    format!("{name}{generics}({})", params.join(", "))
}

/// Arity and type-argument checks shared by functions and methods.
fn check_site(
    name: &str,
    params: &[&str],
    type_arg: TypeArg,
    site: &CallSite,
) -> Result<(), Diagnostic> {
    let max = params.len();
    let min = params.iter().filter(|p| !p.ends_with('?')).count();
    let n = site.args.len();
    if n < min || n > max {
        let count = if min == max {
            format!("{min}")
        } else {
            format!("{min} to {max}")
        };
        let plural = if max == 1 { "" } else { "s" };
        return Err(Diagnostic::new(
            site.span,
            format!(
                "`{name}` takes {count} argument{plural} (`{}`), found {n}",
                signature(name, params, type_arg)
            ),
        ));
    }
    match (type_arg, site.dtype, site.generics_span) {
        (TypeArg::None, Some(_), Some(span)) => Err(Diagnostic::new(
            span,
            format!("`{name}` takes no type argument"),
        )),
        (TypeArg::Required, None, _) => Err(Diagnostic::new(
            site.span,
            format!(
                "`{name}` needs a type argument: `{}`",
                signature(name, params, type_arg)
            ),
        )),
        _ => Ok(()),
    }
}

impl Primitive {
    pub fn call(&self, cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
        check_site(self.name, self.params, self.type_arg, site)?;
        (self.lower)(cx, site)
    }
}

impl Method {
    pub fn call(
        &self,
        cx: &mut Lowerer,
        receiver: Val,
        site: &CallSite,
    ) -> Result<Val, Diagnostic> {
        check_site(self.name, self.params, self.type_arg, site)?;
        (self.lower)(cx, receiver, site)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn shadow_markers_follow_the_primitive_table() {
        let table: Vec<&str> = super::PRIMITIVES.iter().map(|p| p.name).collect();
        assert_eq!(super::super::shadow::primitives::NAMES, table.as_slice());
    }
}

//! Build-time checks of calls through Rust's type checker.
//!
//! The macro checking a kernel cannot see the device functions and custom
//! ops it calls: they are other items, expanded by other macro calls. What
//! it can do is make rustc check each call against the callee's signature.
//! For every call the frontend records what it knows of the arguments at
//! build time ([`CallShadow`]); the macro emits a *shadow call*
//! `<path>::__persim_signature(args)` — the same path, the same number of
//! arguments, each a value standing for the argument's persim type (a Rust
//! scalar such as `0f32` or `null::<f32>()` for scalars, a marker type below
//! otherwise), with the argument's span — of a signature function the
//! callee's macro emits with the callee's parameter names and one
//! marker-trait bound per parameter. So rustc reports, at the user's tokens:
//!
//! - an unknown callee (resolution error at the path, with rustc's import
//!   suggestions; a misspelt primitive gets a "similar name" hint from
//!   [`primitives`]),
//! - a wrong number of arguments (E0061, showing the callee's signature),
//! - an argument of the wrong kind or element type (the bound's message).
//!
//! The shadow call sits in a closure that is never called: it only exists
//! to be type-checked, and the same expression gives the `Dep` entry the
//! callee's record ([`callee`]). The marker values are zero-sized and carry
//! no behaviour. What the build-time check does not know (a value computed
//! from a device function's result) is [`Unknown`], which every bound
//! accepts; such calls are checked at launch. Parameters whose type
//! mentions an element-type parameter accept anything ([`AnyArg`]) and are
//! checked at launch too.

use super::source::{Callee, CalleeSource};
use crate::ir::{Dtype, Elem};
use proc_macro2::Span;
use std::marker::PhantomData;

/// What the build-time check knows of one argument of a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShadowArg {
    /// A scalar (or scalar pointer); `mutable` for pointers that derive
    /// only from `*mut` parameters.
    Scalar { elem: Elem, mutable: bool },
    /// A tile of rank ≥ 1.
    Tile { elem: Elem, mutable: bool },
    /// A compile-time constant of a data type (a constexpr, or arithmetic
    /// on them).
    Const(Dtype),
    /// An unsuffixed integer literal.
    IntLit,
    /// An unsuffixed float literal.
    FloatLit,
    /// Only known at launch.
    Unknown,
}

/// One call of a device function or custom op, as the build-time check saw
/// it.
#[derive(Clone, Debug)]
pub struct CallShadow {
    /// The callee path as written (resolved by rustc in the caller's scope).
    pub path: syn::Path,
    /// The parentheses of the call, where an arity error points.
    pub paren: Span,
    /// Each argument with its span.
    pub args: Vec<(ShadowArg, Span)>,
    /// The path is the combine function of `reduce`/`associative_scan`
    /// (the shadow "call" is at the path): it must be a device function
    /// ([`DeviceFunction`]), not a custom op.
    pub combine: bool,
}

/// The record of the callee the closure's shadow call resolves to. `const`
/// so it can fill a `Dep` in a static; `f` is never called.
pub const fn callee<C: Callee, F: FnOnce() -> C>(f: F) -> fn() -> &'static CalleeSource {
    std::mem::forget(f);
    C::source
}

/// Implemented by the marker type of every `#[persim::func]`: what a
/// combine function of `reduce`/`associative_scan` must be.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a device function",
    label = "a combine function must be a `#[persim::func]`"
)]
pub trait DeviceFunction {}

/// The shadow call of a combine function, checked to be a device
/// function's; never called.
pub const fn device_function<C: DeviceFunction>(c: C) -> C {
    c
}

/// A tile (rank ≥ 1) of element type `E` (`f32`, `*const f32`, ...). A
/// scalar argument's shadow is a value of its Rust type (`f32`,
/// `*mut f32`), so messages read in Rust's terms. The facade re-exports
/// this type as `persim::Tile`, the name device function signatures use.
pub struct Tile<E>(PhantomData<fn() -> E>);
/// A compile-time constant of type `E`.
pub struct Const<E>(PhantomData<fn() -> E>);
/// An unsuffixed integer literal (any numeric type).
pub struct IntLit;
/// An unsuffixed float literal (any float type).
pub struct FloatLit;
/// A value whose type is only known at launch.
pub struct Unknown;

pub const fn tile<E>() -> Tile<E> {
    Tile(PhantomData)
}
pub const fn konst<E>() -> Const<E> {
    Const(PhantomData)
}

/// Accepted by a parameter `x: Tile<E>` (a tile or scalar of `E`).
#[diagnostic::on_unimplemented(
    message = "mismatched types: expected a tile or scalar of `{E}`, found `{Self}`",
    label = "expected a tile or scalar of `{E}`",
    note = "persim converts no element types implicitly: convert with `.to::<T>()`"
)]
pub trait TileArg<E> {}
/// Accepted by a scalar parameter `x: E`.
#[diagnostic::on_unimplemented(
    message = "mismatched types: expected a scalar of `{E}`, found `{Self}`",
    label = "expected a scalar of `{E}`"
)]
pub trait ScalarArg<E> {}
/// Accepted by a `#[constexpr] N: E` parameter.
#[diagnostic::on_unimplemented(
    message = "expected a compile-time `{E}` (a literal, a `#[constexpr]` parameter or arithmetic on them), found `{Self}`",
    label = "not known at compile time"
)]
pub trait ConstArg<E> {}
/// Accepted by a parameter whose type mentions an element-type parameter
/// (checked at launch, once the parameter is known).
pub trait AnyArg {}
impl<X> AnyArg for X {}

// The impls are hidden from diagnostics (`do_not_recommend`): listing them
// would only show persim's internals; the messages above say what fits.
#[diagnostic::do_not_recommend]
impl<E> TileArg<E> for Tile<E> {}
#[diagnostic::do_not_recommend]
impl<E> TileArg<E> for Const<E> {}
#[diagnostic::do_not_recommend]
impl<E> TileArg<E> for Unknown {}
#[diagnostic::do_not_recommend]
impl<T> TileArg<*const T> for Tile<*mut T> {}
#[diagnostic::do_not_recommend]
impl<T> TileArg<*const T> for *const T {}
#[diagnostic::do_not_recommend]
impl<T> TileArg<*mut T> for *mut T {}
#[diagnostic::do_not_recommend]
impl<T> TileArg<*const T> for *mut T {}
#[diagnostic::do_not_recommend]
impl<E> ScalarArg<E> for Const<E> {}
#[diagnostic::do_not_recommend]
impl<E> ScalarArg<E> for Unknown {}
#[diagnostic::do_not_recommend]
impl<T> ScalarArg<*const T> for *const T {}
#[diagnostic::do_not_recommend]
impl<T> ScalarArg<*mut T> for *mut T {}
#[diagnostic::do_not_recommend]
impl<T> ScalarArg<*const T> for *mut T {}
#[diagnostic::do_not_recommend]
impl<E> ConstArg<E> for Const<E> {}
#[diagnostic::do_not_recommend]
impl<E> ConstArg<E> for Unknown {}

macro_rules! data {
    ($($t:ty),*) => {$(
        #[diagnostic::do_not_recommend]
        impl TileArg<$t> for $t {}
        #[diagnostic::do_not_recommend]
        impl ScalarArg<$t> for $t {}
    )*};
}

data!(
    bool,
    i8,
    i16,
    i32,
    i64,
    u8,
    u16,
    u32,
    u64,
    half::f16,
    half::bf16,
    f32,
    f64
);

macro_rules! literals {
    (ints: $($i:ty),*; floats: $($f:ty),*) => {
        $(
            #[diagnostic::do_not_recommend]
            impl TileArg<$i> for IntLit {}
            #[diagnostic::do_not_recommend]
            impl ScalarArg<$i> for IntLit {}
            #[diagnostic::do_not_recommend]
            impl ConstArg<$i> for IntLit {}
        )*
        $(
            #[diagnostic::do_not_recommend]
            impl TileArg<$f> for IntLit {}
            #[diagnostic::do_not_recommend]
            impl ScalarArg<$f> for IntLit {}
            #[diagnostic::do_not_recommend]
            impl TileArg<$f> for FloatLit {}
            #[diagnostic::do_not_recommend]
            impl ScalarArg<$f> for FloatLit {}
        )*
    };
}

literals!(ints: i8, i16, i32, i64, u8, u16, u32, u64; floats: half::f16, half::bf16, f32, f64);

/// One type per primitive, named as the primitive. A shadow call of a
/// plain name imports them (a glob import, in its own block), so that for a
/// misspelt primitive rustc's "cannot find" error suggests the primitive.
/// They never shadow a callee: a plain name that is a primitive is a
/// primitive call and gets no shadow, and device functions and custom ops
/// cannot take primitives' names.
pub mod primitives {
    macro_rules! markers {
        ($($name:ident)*) => {
            $(
                #[allow(non_camel_case_types)]
                #[doc(hidden)]
                pub struct $name;
            )*
            /// The names, to keep the list in step with the primitive table.
            pub const NAMES: &[&str] = &[$(stringify!($name)),*];
        };
    }

    markers! {
        program_id num_programs arange zeros zeros_like full cast load store make_block_ptr
        advance atomic_add atomic_max atomic_min atomic_xchg atomic_cas exp log sqrt abs
        maximum minimum where_ cdiv exp2 log2 rsqrt erf sin cos floor ceil sigmoid clamp fma
        umulhi multiple_of max_contiguous assume static_assert device_assert device_print
        expand_dims broadcast_to reshape trans permute cat join split static_range sum max
        min argmax argmin cumsum cumprod reduce associative_scan dot
    }
}

/// Scalars a custom op's host reference takes and returns, as the bit
/// patterns of [`CustomOpSource::eval`](super::CustomOpSource::eval).
pub trait HostScalar: Copy {
    fn to_bits64(self) -> u64;
    fn from_bits64(bits: u64) -> Self;
}

macro_rules! host_scalars {
    ($($t:ty => $u:ty),*) => {$(
        impl HostScalar for $t {
            fn to_bits64(self) -> u64 {
                self as $u as u64
            }
            fn from_bits64(bits: u64) -> Self {
                bits as $u as $t
            }
        }
    )*};
}

host_scalars!(i32 => u32, i64 => u64, u32 => u32, u64 => u64);

impl HostScalar for f32 {
    fn to_bits64(self) -> u64 {
        u64::from(self.to_bits())
    }
    fn from_bits64(bits: u64) -> Self {
        f32::from_bits(bits as u32)
    }
}

impl HostScalar for f64 {
    fn to_bits64(self) -> u64 {
        self.to_bits()
    }
    fn from_bits64(bits: u64) -> Self {
        f64::from_bits(bits)
    }
}

#[cfg(test)]
mod tests {
    use super::HostScalar;

    #[test]
    fn host_scalars_round_trip_through_bits() {
        assert_eq!(i32::from_bits64((-5i32).to_bits64()), -5);
        assert_eq!((-1i32).to_bits64(), 0xffff_ffff, "zero-extended");
        assert_eq!(u64::from_bits64(u64::MAX.to_bits64()), u64::MAX);
        assert_eq!(f32::from_bits64(1.5f32.to_bits64()), 1.5);
        assert!(f64::from_bits64(f64::NAN.to_bits64()).is_nan());
    }
}

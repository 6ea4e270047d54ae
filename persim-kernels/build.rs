//! Compiles every kernel of the library ahead of time (the specializations
//! listed in `src/aot_list.rs`) with the LLVM backend into a static
//! library with C entry points, a C header and safe Rust wrappers.
//!
//! Outputs, in `$OUT_DIR` and copied to `<target dir>/<profile>/persim-kernels/`
//! (the path is also `env!("PERSIM_KERNELS_AOT_DIR")` in this crate):
//! `persim_kernels.ll` (optimized LLVM IR), `persim_kernels.o`,
//! `libpersim_kernels_aot.a` (what C programs link, with `-lm`),
//! `persim_kernels.h`; and `aot_wrappers.rs` (included by `src/aot.rs`).
//!
//! Target: the host CPU and features by default; `PERSIM_AOT_CPU` and
//! `PERSIM_AOT_FEATURES` override them (for instance `x86-64-v3` and
//! `+avx2,+fma` for a library that runs on any AVX2 machine).

// The kernels, compiled here as in the library: the macro checks them and
// records their `KernelSource`.
#[allow(dead_code)]
#[path = "src/attention.rs"]
mod attention;
#[allow(dead_code)]
#[path = "src/layer_norm.rs"]
mod layer_norm;
#[allow(dead_code)]
#[path = "src/matmul.rs"]
mod matmul;
#[allow(dead_code)]
#[path = "src/softmax.rs"]
mod softmax;
#[allow(dead_code)]
#[path = "src/vector_add.rs"]
mod vector_add;

#[path = "src/aot_list.rs"]
mod aot_list;

use persim::ir::{Dtype, Function};
use persim::passes::Pipeline;
use persim_backend::llvm::{self, AotKernel, CParam, TargetSpec};
use std::path::{Path, PathBuf};

fn main() {
    if let Err(e) = run() {
        // A build script reports by failing; the message is cargo's error.
        eprintln!("persim-kernels: ahead-of-time compilation failed: {e}");
        std::process::exit(1);
    }
}

fn target_spec() -> TargetSpec {
    let host = TargetSpec::host();
    let cpu = std::env::var("PERSIM_AOT_CPU").unwrap_or(host.cpu);
    let features = std::env::var("PERSIM_AOT_FEATURES").unwrap_or(host.features);
    TargetSpec::new(host.triple, cpu, features)
}

fn run() -> Result<(), String> {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=PERSIM_AOT_CPU");
    println!("cargo:rerun-if-env-changed=PERSIM_AOT_FEATURES");
    let out = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| format!("OUT_DIR: {e}"))?);
    let spec = target_spec();
    let target = spec.lowering_target();

    let mut lowered = Vec::new();
    for s in aot_list::AOT_KERNELS {
        let module = persim::front::specialize(s.kernel, s.consts)
            .map_err(|d| format!("{}: {d}", s.symbol))?;
        let (f, _) = Pipeline::standard(target.clone())
            .run_module(&module, s.kernel.name)
            .map_err(|e| format!("{}: {e}", s.symbol))?;
        lowered.push((s.symbol, f));
    }
    let kernels: Vec<AotKernel> = lowered
        .iter()
        .map(|(symbol, func)| AotKernel { symbol, func })
        .collect();
    let emitted = llvm::emit("persim_kernels", &kernels, &spec).map_err(|e| e.to_string())?;
    let pairs: Vec<(&str, &Function)> = lowered.iter().map(|(s, f)| (*s, f)).collect();
    let header = llvm::c_header("PERSIM_KERNELS_H", &pairs).map_err(|e| e.to_string())?;

    let write = |name: &str, bytes: &[u8]| {
        std::fs::write(out.join(name), bytes).map_err(|e| format!("writing {name}: {e}"))
    };
    write("persim_kernels.ll", emitted.ll.as_bytes())?;
    write("persim_kernels.o", &emitted.object)?;
    write("persim_kernels.h", header.as_bytes())?;
    write("aot_wrappers.rs", wrappers(&lowered)?.as_bytes())?;
    // Archive the object and tell cargo to link it into this crate.
    cc::Build::new()
        .object(out.join("persim_kernels.o"))
        .cargo_metadata(true)
        .compile("persim_kernels_aot");

    let stable = stable_dir(&out)?;
    std::fs::create_dir_all(&stable).map_err(|e| format!("{}: {e}", stable.display()))?;
    for name in [
        "persim_kernels.ll",
        "persim_kernels.o",
        "persim_kernels.h",
        "libpersim_kernels_aot.a",
    ] {
        std::fs::copy(out.join(name), stable.join(name))
            .map_err(|e| format!("copying {name} to {}: {e}", stable.display()))?;
    }
    println!(
        "cargo:rustc-env=PERSIM_KERNELS_AOT_DIR={}",
        stable.display()
    );
    Ok(())
}

/// `<target dir>/<profile>/persim-kernels`: `$OUT_DIR` is
/// `<target dir>/<profile>/build/persim-kernels-<hash>/out`.
fn stable_dir(out: &Path) -> Result<PathBuf, String> {
    out.ancestors()
        .nth(3)
        .map(|p| p.join("persim-kernels"))
        .ok_or_else(|| format!("unexpected OUT_DIR {}", out.display()))
}

fn rust_scalar(d: Dtype) -> &'static str {
    match d {
        Dtype::I1 => "bool",
        Dtype::I8 => "i8",
        Dtype::I16 => "i16",
        Dtype::I32 => "i32",
        Dtype::I64 => "i64",
        Dtype::U8 => "u8",
        Dtype::U16 => "u16",
        Dtype::U32 => "u32",
        Dtype::U64 => "u64",
        Dtype::F16 => "::persim::f16",
        Dtype::BF16 => "::persim::bf16",
        Dtype::F32 => "f32",
        Dtype::F64 => "f64",
    }
}

/// The FFI declarations and safe wrappers of every entry point.
fn wrappers(lowered: &[(&str, Function)]) -> Result<String, String> {
    let mut ffi = String::new();
    let mut safe = String::new();
    for (symbol, f) in lowered {
        let params = CParam::of(f).map_err(|e| e.to_string())?;
        let name = symbol.trim_start_matches("persim_");
        let (mut decl, mut args, mut call) = (Vec::new(), Vec::new(), Vec::new());
        // Pointers cross into the worker threads as addresses (`usize` is
        // `Sync`); each worker turns them back into pointers for its call.
        let (mut addrs, mut thread_call) = (Vec::new(), Vec::new());
        for p in &params {
            let t = rust_scalar(p.dtype);
            let n = &p.name;
            if p.pointer {
                let (raw, slice, ptr) = if p.mutable {
                    ("*mut", "&mut [", "as_mut_ptr")
                } else {
                    ("*const", "&[", "as_ptr")
                };
                decl.push(format!("{n}: {raw} {t}, {n}_len: usize"));
                args.push(format!("{n}: {slice}{t}]"));
                call.push(format!("{n}.{ptr}(), {n}.len()"));
                addrs.push(format!(
                    "    let {n}_addr = ({n}.{ptr}() as usize, {n}.len());\n"
                ));
                thread_call.push(format!("{n}_addr.0 as {raw} {t}, {n}_addr.1"));
            } else {
                decl.push(format!("{n}: {t}"));
                args.push(format!("{n}: {t}"));
                call.push(n.clone());
                thread_call.push(n.clone());
            }
        }
        let consts: Vec<String> = f
            .consts
            .iter()
            .map(|(k, v)| format!("`{k} = {v}`"))
            .collect();
        ffi.push_str(&format!(
            "        pub fn {symbol}({d}, grid_x: u32, grid_y: u32, grid_z: u32) -> i32;\n\
             \x20       pub fn {symbol}_range({d}, grid_x: u32, grid_y: u32, grid_z: u32, first: u64, count: u64) -> i32;\n",
            d = decl.join(", ")
        ));
        let arg_names: Vec<String> = params.iter().map(|p| p.name.clone()).collect();
        safe.push_str(&format!(
            "/// `{kernel}` specialized with {consts}, compiled ahead of time: runs\n\
             /// every program instance of `grid`, spread over the machine's cores\n\
             /// ([`default_threads`]).\n\
             #[allow(non_snake_case, clippy::too_many_arguments)]\n\
             pub fn {name}({args}, grid: [u32; 3]) -> Result<(), AotError> {{\n\
             \x20   {name}_on(default_threads(), {names}, grid)\n\
             }}\n\n\
             /// [`{name}`] on `threads` threads: each runs one contiguous range of\n\
             /// programs with its own local memory; 1 runs all on the calling thread.\n\
             #[allow(non_snake_case, clippy::too_many_arguments)]\n\
             pub fn {name}_on(threads: usize, {args}, grid: [u32; 3]) -> Result<(), AotError> {{\n\
             \x20   if threads <= 1 || programs(grid) <= 1 {{\n\
             \x20       // SAFETY: the pointers come from live slices with their lengths, so\n\
             \x20       // they are valid for the kernel's in-bounds accesses; as with an\n\
             \x20       // unchecked JIT launch, the kernel's indexing is trusted.\n\
             \x20       return AotError::check(unsafe {{ ffi::{symbol}({call}, grid[0], grid[1], grid[2]) }});\n\
             \x20   }}\n\
             {addrs}\
             \x20   run_ranges(threads, grid, &|first, count| {{\n\
             \x20       // SAFETY: as above; the slices outlive the scoped threads, and\n\
             \x20       // programs of one launch run in parallel on the JITs as well.\n\
             \x20       unsafe {{ ffi::{symbol}_range({thread_call}, grid[0], grid[1], grid[2], first, count) }}\n\
             \x20   }})\n\
             }}\n\n",
            kernel = f.name,
            consts = consts.join(", "),
            args = args.join(", "),
            call = call.join(", "),
            names = arg_names.join(", "),
            addrs = addrs.concat(),
            thread_call = thread_call.join(", "),
        ));
    }
    Ok(format!(
        "// Generated by persim-kernels/build.rs; do not edit.\n\n\
         mod ffi {{\n    extern \"C\" {{\n{ffi}    }}\n}}\n\n{safe}"
    ))
}

//! A kernel graph: a DAG of kernels whose intermediate tensors can stay on
//! chip, streamed from the producer's PEs to the consumer's.
//!
//! A kernel has one output tensor; every stream out of it carries the whole
//! tensor to one consumer. A kernel's output goes off-chip when nothing
//! consumes it (a graph output) or when it is marked with
//! [`KernelGraph::keep_output`] (needed again later).

use std::fmt;

use crate::spatial::machine::Machine;

/// Index of a kernel in its [`KernelGraph`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KernelId(pub u32);

impl KernelId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// The PE unit a kernel's arithmetic runs on, which sets its peak rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unit {
    /// The matrix unit: `2 · matrix.macs_per_cycle` FLOPs per cycle.
    Matrix,
    /// The vector ALU: one lane-wide op per `slots.vector_alu` slot per cycle.
    Vector,
}

impl Unit {
    /// Peak FLOPs per cycle of one PE on this unit.
    pub fn peak_flops_per_cycle(self, machine: &Machine) -> f64 {
        match self {
            Unit::Matrix => 2.0 * f64::from(machine.matrix.macs_per_cycle),
            Unit::Vector => f64::from(machine.lanes() * machine.slots.vector_alu),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Unit::Matrix => "matrix",
            Unit::Vector => "vector",
        }
    }
}

/// One kernel: its work and its off-chip inputs and output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kernel {
    pub name: String,
    pub unit: Unit,
    /// Floating-point operations (a MAC counts 2).
    pub flops: u64,
    /// Bytes read from off-chip memory: weights and graph inputs (not the
    /// outputs of other kernels, which arrive by stream).
    pub input_bytes: u64,
    /// Bytes of the kernel's output tensor.
    pub output_bytes: u64,
    /// Store the output off-chip even though other kernels consume it.
    pub keep_output: bool,
}

/// Producer → consumer: the consumer reads the producer's whole output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stream {
    pub from: KernelId,
    pub to: KernelId,
}

/// The DAG; build it with [`add_kernel`](KernelGraph::add_kernel) and
/// [`stream`](KernelGraph::stream).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KernelGraph {
    pub kernels: Vec<Kernel>,
    pub streams: Vec<Stream>,
}

/// Why a kernel graph cannot be mapped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GraphError {
    /// The graph has no kernels.
    Empty,
    /// A stream names a kernel that does not exist, or a kernel itself.
    BadStream { stream: usize, message: String },
    /// The streams form a cycle through these kernels.
    Cycle { kernels: Vec<String> },
    /// More kernels than compute tiles: each needs a region of at least one PE.
    TooManyKernels { kernels: usize, pes: u32 },
}

impl fmt::Display for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GraphError::Empty => write!(f, "the kernel graph has no kernels"),
            GraphError::BadStream { stream, message } => write!(f, "stream {stream}: {message}"),
            GraphError::Cycle { kernels } => {
                write!(f, "the streams form a cycle through {}", kernels.join(", "))
            }
            GraphError::TooManyKernels { kernels, pes } => write!(
                f,
                "{kernels} kernels need a region of at least one PE each, but the machine has {pes} PEs"
            ),
        }
    }
}

impl std::error::Error for GraphError {}

impl KernelGraph {
    pub fn new() -> KernelGraph {
        KernelGraph::default()
    }

    pub fn add_kernel(
        &mut self,
        name: impl Into<String>,
        unit: Unit,
        flops: u64,
        input_bytes: u64,
        output_bytes: u64,
    ) -> KernelId {
        self.kernels.push(Kernel {
            name: name.into(),
            unit,
            flops,
            input_bytes,
            output_bytes,
            keep_output: false,
        });
        KernelId(self.kernels.len() as u32 - 1)
    }

    /// `to` consumes the output of `from`.
    pub fn stream(&mut self, from: KernelId, to: KernelId) {
        self.streams.push(Stream { from, to });
    }

    /// Also store `kernel`'s output off-chip.
    pub fn keep_output(&mut self, kernel: KernelId) {
        if let Some(k) = self.kernels.get_mut(kernel.index()) {
            k.keep_output = true;
        }
    }

    pub fn kernel(&self, id: KernelId) -> &Kernel {
        &self.kernels[id.index()]
    }

    /// Cycles `kernel` needs on one PE at its unit's peak: the work that
    /// region sizes are proportional to.
    pub fn pe_cycles(&self, kernel: KernelId, machine: &Machine) -> f64 {
        let k = &self.kernels[kernel.index()];
        k.flops as f64 / k.unit.peak_flops_per_cycle(machine)
    }

    /// Whether `kernel`'s output is written off-chip when the graph is fused.
    pub fn writes_offchip(&self, kernel: KernelId) -> bool {
        self.kernels[kernel.index()].keep_output || !self.streams.iter().any(|s| s.from == kernel)
    }

    /// The transformer MLP block `Y = GELU(X·W1 + b1)·W2` on `tokens` rows,
    /// model width `d_model`, hidden width `d_hidden`, `elem_bytes` per
    /// element: matmul → bias+GELU → matmul. GELU (tanh form) is counted as
    /// 8 FLOPs per element and the bias add as 1, on the vector unit.
    pub fn mlp(tokens: u64, d_model: u64, d_hidden: u64, elem_bytes: u64) -> KernelGraph {
        let mut g = KernelGraph::new();
        let (t, d, h, e) = (tokens, d_model, d_hidden, elem_bytes);
        let up = g.add_kernel(
            "matmul_up",
            Unit::Matrix,
            2 * t * d * h,
            (t * d + d * h) * e,
            t * h * e,
        );
        let act = g.add_kernel("bias_gelu", Unit::Vector, 9 * t * h, h * e, t * h * e);
        let down = g.add_kernel(
            "matmul_down",
            Unit::Matrix,
            2 * t * h * d,
            h * d * e,
            t * d * e,
        );
        g.stream(up, act);
        g.stream(act, down);
        g
    }

    /// Checks the graph and returns its kernels in topological order
    /// (Kahn's algorithm; among ready kernels the lowest id first, so the
    /// order is deterministic).
    pub fn topological_order(&self) -> Result<Vec<KernelId>, GraphError> {
        if self.kernels.is_empty() {
            return Err(GraphError::Empty);
        }
        let n = self.kernels.len();
        for (i, s) in self.streams.iter().enumerate() {
            for end in [s.from, s.to] {
                if end.index() >= n {
                    return Err(GraphError::BadStream {
                        stream: i,
                        message: format!("kernel {} does not exist ({n} kernels)", end.0),
                    });
                }
            }
            if s.from == s.to {
                return Err(GraphError::BadStream {
                    stream: i,
                    message: format!("`{}` streams to itself", self.kernels[s.from.index()].name),
                });
            }
        }
        let mut indegree = vec![0usize; n];
        for s in &self.streams {
            indegree[s.to.index()] += 1;
        }
        let mut order = Vec::with_capacity(n);
        let mut done = vec![false; n];
        while order.len() < n {
            let Some(next) = (0..n).find(|&k| !done[k] && indegree[k] == 0) else {
                let kernels = (0..n)
                    .filter(|&k| !done[k])
                    .map(|k| self.kernels[k].name.clone())
                    .collect();
                return Err(GraphError::Cycle { kernels });
            };
            done[next] = true;
            order.push(KernelId(next as u32));
            for s in self.streams.iter().filter(|s| s.from.index() == next) {
                indegree[s.to.index()] -= 1;
            }
        }
        Ok(order)
    }
}

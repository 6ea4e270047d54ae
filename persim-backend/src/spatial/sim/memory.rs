//! Memories: each PE's banked SRAM and the off-chip memory behind the shims.
//!
//! Banks matter only for timing (the PE charges a stall when one bundle's
//! accesses need the same bank twice, see `pe.rs`); the bytes live in one
//! flat array per PE. Off-chip memory is allocated in pages on first write so
//! a 256 MiB default costs nothing until used.

use crate::spatial::machine::Machine;

/// One PE's data memory, allocated on first write (reads of untouched
/// memory see zeros), so a large grid of idle tiles costs nothing.
#[derive(Clone, Debug)]
pub struct Sram {
    size: u32,
    bytes: Vec<u8>,
}

/// Zeros served for reads of an SRAM not yet written; reads are at most a
/// NoC flit (`noc.link_bytes_per_cycle` <= 4096) or a vector at a time.
static ZEROS: [u8; 4096] = [0; 4096];

impl Sram {
    pub fn new(size: u32) -> Sram {
        Sram {
            size,
            bytes: Vec::new(),
        }
    }

    pub fn size(&self) -> u32 {
        self.size
    }

    /// The byte range `[addr, addr + len)`, or a message naming it.
    fn range(&self, addr: u64, len: u64) -> Result<std::ops::Range<usize>, String> {
        let end = addr.checked_add(len).filter(|&e| e <= u64::from(self.size));
        match end {
            Some(end) => Ok(addr as usize..end as usize),
            None => Err(format!(
                "SRAM access [{addr:#x}, {:#x}) is outside the {} bytes of data memory",
                addr.saturating_add(len),
                self.size
            )),
        }
    }

    pub fn read(&self, addr: u64, len: u64) -> Result<&[u8], String> {
        let r = self.range(addr, len)?;
        if self.bytes.is_empty() {
            return ZEROS.get(..r.len()).ok_or_else(|| {
                format!("SRAM read of {len} bytes at once is larger than the simulator serves")
            });
        }
        Ok(&self.bytes[r])
    }

    /// Copies `[addr, addr + out.len())` into `out` (any length).
    pub fn read_into(&self, addr: u64, out: &mut [u8]) -> Result<(), String> {
        let r = self.range(addr, out.len() as u64)?;
        if self.bytes.is_empty() {
            out.fill(0);
        } else {
            out.copy_from_slice(&self.bytes[r]);
        }
        Ok(())
    }

    pub fn write(&mut self, addr: u64, data: &[u8]) -> Result<(), String> {
        let r = self.range(addr, data.len() as u64)?;
        if self.bytes.is_empty() {
            self.bytes = vec![0; self.size as usize];
        }
        self.bytes[r].copy_from_slice(data);
        Ok(())
    }

    pub fn read_u32(&self, addr: u64) -> Result<u32, String> {
        let b = self.read(addr, 4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub fn write_u32(&mut self, addr: u64, value: u32) -> Result<(), String> {
        self.write(addr, &value.to_le_bytes())
    }

    pub fn read_u64(&self, addr: u64) -> Result<u64, String> {
        let b = self.read(addr, 8)?;
        Ok(u64::from_le_bytes(b.try_into().expect("8 bytes")))
    }
}

const PAGE_BITS: u32 = 16;
const PAGE: u64 = 1 << PAGE_BITS;

/// Off-chip memory, one address space shared by all shims.
#[derive(Clone, Debug)]
pub struct Offchip {
    size: u64,
    pages: Vec<Option<Box<[u8]>>>,
}

impl Offchip {
    pub fn new(size: u64) -> Offchip {
        Offchip {
            size,
            pages: vec![None; size.div_ceil(PAGE) as usize],
        }
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    fn check(&self, addr: u64, len: u64) -> Result<(), String> {
        match addr.checked_add(len) {
            Some(end) if end <= self.size => Ok(()),
            _ => Err(format!(
                "off-chip access [{addr:#x}, {:#x}) is outside the {} bytes of off-chip memory",
                addr.saturating_add(len),
                self.size
            )),
        }
    }

    pub fn read(&self, addr: u64, out: &mut [u8]) -> Result<(), String> {
        self.check(addr, out.len() as u64)?;
        let mut done = 0;
        while done < out.len() {
            let a = addr + done as u64;
            let (page, off) = ((a >> PAGE_BITS) as usize, (a % PAGE) as usize);
            let n = (PAGE as usize - off).min(out.len() - done);
            match &self.pages[page] {
                Some(p) => out[done..done + n].copy_from_slice(&p[off..off + n]),
                None => out[done..done + n].fill(0),
            }
            done += n;
        }
        Ok(())
    }

    pub fn write(&mut self, addr: u64, data: &[u8]) -> Result<(), String> {
        self.check(addr, data.len() as u64)?;
        let mut done = 0;
        while done < data.len() {
            let a = addr + done as u64;
            let (page, off) = ((a >> PAGE_BITS) as usize, (a % PAGE) as usize);
            let n = (PAGE as usize - off).min(data.len() - done);
            let p =
                self.pages[page].get_or_insert_with(|| vec![0; PAGE as usize].into_boxed_slice());
            p[off..off + n].copy_from_slice(&data[done..done + n]);
            done += n;
        }
        Ok(())
    }
}

/// All memories of the machine, indexed by compute-tile index.
#[derive(Clone, Debug)]
pub struct Memories {
    pub srams: Vec<Sram>,
    pub offchip: Offchip,
}

impl Memories {
    pub fn new(machine: &Machine) -> Memories {
        Memories {
            srams: (0..machine.pe_count())
                .map(|_| Sram::new(machine.pe.sram_bytes))
                .collect(),
            offchip: Offchip::new(machine.offchip.bytes),
        }
    }
}

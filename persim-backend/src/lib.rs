//! persim backends.

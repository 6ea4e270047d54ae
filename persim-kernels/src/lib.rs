//! The persim kernel library.

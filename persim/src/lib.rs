//! persim facade.

//! persim attribute macros (thin: parse → check with the frontend → expand).

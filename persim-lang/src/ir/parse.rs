//! PLACEHOLDER (text format work, issue 2): the parser.

//! quotetrail: find every direct quotation in news articles, attribute it to
//! its speaker with evidence, and store it in SQLite.
//!
//! The modules follow the pipeline (see ARCHITECTURE.md): [`article`] loads
//! and decodes files, [`extract`] finds quoted spans, [`attribute`] finds
//! who said them, [`analyze`] ties the two per article, [`store`] writes and
//! queries the database, [`report`] renders listings. [`cmd`] holds one
//! module per CLI command on top of them.

pub mod analyze;
pub mod article;
pub mod attribute;
pub mod byteclass;
pub mod cli;
pub mod cmd;
pub mod extract;
pub mod fold;
pub mod group;
pub mod lexicon;
pub mod provenance;
pub mod registry;
pub mod report;
pub mod span;
pub mod store;

"""The text-layer stage: make a PDF's words real Unicode Vietnamese.

Entry point: `repair.repair_pages(doc, ocr=True)`, called by the pipeline right
after `vnplans.pdf.reader.read_pdf`. Modules, cheapest repair first:

- `syllables`: Vietnamese syllable grammar — is a text layer readable?
- `glyphs`, `native`, `outlines`, `fonts`: leaked glyph ids (fonts whose ToUnicode
  map was lost) recovered from the Times New Roman glyph table
  (`extractors/tnr_glyphs.yaml`, built by `glyph_table_build`), checked by advance
  width, and by embedded outlines for other font versions;
- `legacy`: TCVN3 (.VnTime) and VNI text decoded (`extractors/legacy_encodings.yaml`);
- `ocr`, `scan`: Tesseract for pages without a usable layer (and for single words
  nothing else could read); scanned pages cleaned first (red seal, skew, rules);
- `metrics`: syllable-F1 against a transcript (tests and benchmarks).
"""

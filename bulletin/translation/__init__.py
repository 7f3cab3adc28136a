"""The reader-facing text of the bulletin in other languages, as editorial work: one row per
(object, language), with its own state, reviewer, history and outdated mark. The source text
stays in its own columns (the bulletin's language); see the README's section on languages."""

"""The API's semantics: validation, filters, order, tokens, page plans, faults."""

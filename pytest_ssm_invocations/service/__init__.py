"""The API's semantics: request dict in, response dict or ServiceError out. No HTTP."""

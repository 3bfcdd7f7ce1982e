"""The status and document catalogues, held to AWS's documents and botocore's model."""

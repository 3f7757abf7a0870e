"""The retrieval engine: Kazakh text, chunks, the SQLite store, embeddings, FAISS and BM25, search."""

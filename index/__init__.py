"""The retrieval engine: Kazakh text, chunks, the SQLite store, embeddings, FAISS, BM25, search."""

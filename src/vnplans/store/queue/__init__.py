"""Ingestion on many machines through a PostgreSQL job queue (procrastinate).

`vnplans enqueue` hashes files and queues one job per new or changed file; `vnplans
worker`, on any host that reaches the database, runs each job with the very steps
`vnplans ingest` runs for a file (`vnplans.store.ingest`: check, extract under the
per-file limits, load in one transaction, or record the failure). procrastinate's
tables, types and functions live in a PostgreSQL schema of their own beside the
store's tables (`vnplans_queue`, or `<schema>_queue` for a store in another schema).

Modules: `target` (where the queue lives, its schema), `app` (the procrastinate app
and its tasks), `enqueue` (queueing files and stored originals), `job` (what a worker
does for one file), `worker` (running workers: restarts, stalled jobs, --until-empty),
`status` (what `vnplans queue` shows). Described for operators in docs/queue.md.
"""

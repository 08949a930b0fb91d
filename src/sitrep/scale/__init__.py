"""Scaling out the analysis stage.

``sitrep ingest --workers N`` runs analysis in a local process pool (see
:class:`sitrep.pipeline.Executor`); ``--scheduler local`` or
``--scheduler tcp://HOST:PORT`` runs it on a Dask cluster through
:mod:`sitrep.scale.dask_runner`.  Either way the ingesting process stays the only
writer to the store, one transaction per batch.
"""

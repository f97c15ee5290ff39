-- The registry keeps its schemas in its own database next to the pipeline's.
CREATE DATABASE registry OWNER aiops;

-- Public list prices in USD per million tokens, as published by the providers in 2025 (input / output / cached
-- input). Effective from 2025-01-01; later prices are appended with `aiops prices set`, never edited in place.
-- Models served locally through Ollama cost nothing per token.
INSERT INTO model_prices (provider, model, input_per_million_usd, output_per_million_usd, cached_input_per_million_usd,
                          effective_from) VALUES
    ('openai', 'gpt-4o',                 2.50,  10.00, 1.25,  '2025-01-01T00:00:00Z'),
    ('openai', 'gpt-4o-mini',            0.15,   0.60, 0.075, '2025-01-01T00:00:00Z'),
    ('openai', 'gpt-4.1',                2.00,   8.00, 0.50,  '2025-01-01T00:00:00Z'),
    ('openai', 'gpt-4.1-mini',           0.40,   1.60, 0.10,  '2025-01-01T00:00:00Z'),
    ('openai', 'gpt-4.1-nano',           0.10,   0.40, 0.025, '2025-01-01T00:00:00Z'),
    ('openai', 'o4-mini',                1.10,   4.40, 0.275, '2025-01-01T00:00:00Z'),
    ('anthropic', 'claude-sonnet-4-20250514',   3.00, 15.00, 0.30, '2025-01-01T00:00:00Z'),
    ('anthropic', 'claude-3-7-sonnet-20250219', 3.00, 15.00, 0.30, '2025-01-01T00:00:00Z'),
    ('anthropic', 'claude-3-5-haiku-20241022',  0.80,  4.00, 0.08, '2025-01-01T00:00:00Z'),
    ('anthropic', 'claude-opus-4-20250514',    15.00, 75.00, 1.50, '2025-01-01T00:00:00Z'),
    ('ollama', 'llama3.1:8b',            0.00,   0.00, 0.00,  '2025-01-01T00:00:00Z'),
    ('ollama', 'qwen2.5:7b',             0.00,   0.00, 0.00,  '2025-01-01T00:00:00Z');

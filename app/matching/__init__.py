"""Pure matching engine: feature encoding, scoring, explanations and cohort assignment."""

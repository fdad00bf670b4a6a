"""Leaders' insights: figures, gains and neighbours, from daily pre-aggregated tables."""

"""Sales figures: what counts as a sale (`statements`), calendar periods in any time zone
(`periods`), and how rows add up into exact figures (`figures`). docs/analytics.md has the
semantics for users."""

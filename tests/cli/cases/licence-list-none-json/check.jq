.[0].texts == []

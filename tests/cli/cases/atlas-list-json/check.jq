.[0].causes | length == 26 and all(.prior > 0 and .prior < 1)

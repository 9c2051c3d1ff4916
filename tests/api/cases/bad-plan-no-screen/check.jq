.error.code == "screen-required"

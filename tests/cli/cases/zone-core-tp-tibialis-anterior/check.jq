.[0].candidates[0] | .cause == "tp:tibialis-anterior" and .side == "r"

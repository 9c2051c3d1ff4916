.[0].candidates[0] | .cause == "tp:gastrocnemius" and .side == "r"

.[0].candidates[0] | .cause == "tp:quadratus-lumborum" and .side == "r"

.[0].candidates[0] | .cause == "tp:iliocostalis-lumborum" and .side == "r"

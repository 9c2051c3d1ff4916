.[0].candidates | length > 0 and all(.either_side == true) and (map(.cause) | unique | length) == length

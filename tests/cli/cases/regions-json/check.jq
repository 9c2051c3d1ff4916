.[0] | (.regions | length) == 107 and (.regions | map(.id) | index("r.foot.outer-edge") != null) and .kinds == ["ache","sharp","burning","tingling","numb"]

.[0].warnings | map(.id) == ["cauda-equina"]

.[0] | .home.steps[0].id == "moist-heat" and (.home.steps[0].cautions | any(test("Numbness is marked")))

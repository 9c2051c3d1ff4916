.[0] | .self_care == "with-caution" and (.advice | any(test("keep the pressure light"))) and (.home.steps | length) > 0

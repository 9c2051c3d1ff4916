.[0] | .cause == "root:S1" and .kind == "root" and (.findings | any(.finding == "ankle-reflex-reduced" and .lr > 1)) and (.zone.core | length) > 0

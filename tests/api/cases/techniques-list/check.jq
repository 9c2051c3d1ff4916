(.acupoints | map(.id) | index("GB30")) != null
and ([.acupoints[] | (.id | length) > 0 and (.name | length) > 0 and (.location | length) > 0] | all)
and (.stretches | length) > 0
and ([.stretches[] | (.id | length) > 0 and (.title | length) > 0 and (.muscle | length) > 0] | all)
and (.stretches | map(.id) | index("piriformis-figure-four")) != null

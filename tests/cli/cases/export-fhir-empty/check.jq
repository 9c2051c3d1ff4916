.[0] as $b
| $b.resourceType == "Bundle" and $b.type == "collection"
  and $b.meta.tag[0].code == "tpt-export-1"
  and ($b.entry | length) == 1
  and $b.entry[0].resource.resourceType == "Patient"
  and $b.entry[0].fullUrl == "urn:uuid:" + $b.entry[0].resource.id

/// A template's logical names by kind, for lookups in constant time: the graph stages ask
/// "is this a resource?" for every reference of templates with hundreds of resources.
struct TemplateIndex: Sendable {
  let resources: [String: Template.Resource]
  let parameters: Set<String>
  let conditions: Set<String>
  let mappings: Set<String>

  init(_ template: Template) {
    var resources: [String: Template.Resource] = [:]
    for resource in template.resources where resources[resource.logicalID] == nil {
      resources[resource.logicalID] = resource
    }
    self.resources = resources
    parameters = Set(template.parameters.map(\.name))
    conditions = Set(template.conditions.map(\.name))
    mappings = Set(template.mappings.map(\.name))
  }

  func resource(_ logicalID: String) -> Template.Resource? { resources[logicalID] }
  func isResource(_ name: String) -> Bool { resources[name] != nil }
}

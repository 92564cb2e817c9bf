/** How cdk-nag names what it finds, so that acknowledgements can name the same thing. */

/** cdk-nag's flat form of a CloudFormation value: `{"Fn::GetAtt": ["B", "Arn"]}` -> `<B.Arn>`. */
export const flattenCfnValue = (value: unknown): string => {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const node = value as Record<string, unknown>;
  if (Array.isArray(node['Fn::Join'])) {
    const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
    return items.map(flattenCfnValue).join(delimiter);
  }
  if (node['Fn::Sub'] !== undefined) return flattenCfnValue(node['Fn::Sub']);
  if (Array.isArray(node['Fn::GetAtt'])) {
    const [resource, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
    return `<${flattenCfnValue(resource)}.${flattenCfnValue(attribute)}>`;
  }
  if (node['Fn::ImportValue'] !== undefined) return flattenCfnValue(node['Fn::ImportValue']);
  if (node.Ref !== undefined) return `<${flattenCfnValue(node.Ref)}>`;
  return JSON.stringify(value);
};

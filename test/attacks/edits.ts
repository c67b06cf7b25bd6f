/** Edit builders the case files share: the ways a change reaches dist/ (a raw object, a homelab or library edit). */
import { AttackEdit } from './attack-case';

const SERVICES = 'homelab/services.ts';

/**
 * A raw object added to the launchfast service through its `build` escape hatch (`new ApiObject(...)`): what a
 * chart render or a hand-written manifest would add, past every construct's validation.
 */
export function rawObject(object: Record<string, unknown>): AttackEdit[] {
  return rawObjectSource(JSON.stringify(object));
}

/** {@link rawObject} with the object as a TypeScript expression (e.g. one computing a huge value). */
export function rawObjectSource(expression: string): AttackEdit[] {
  return [
    { file: SERVICES, find: "import { ContainerImage,", replace: "import { ApiObject } from 'cdk8s';\nimport { ContainerImage," },
    {
      file: SERVICES,
      find: "    namespace: 'launchfast',\n",
      replace: `    namespace: 'launchfast',\n    build: ({ chart }) => { new ApiObject(chart, 'Attack', ${expression}); },\n`,
    },
  ];
}

/** One literal replacement in `file`. */
export function edit(file: string, find: string, replace: string): AttackEdit {
  return { file, find, replace };
}

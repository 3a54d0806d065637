// Types of scripts/third-party-notices.mjs, for the unit test.
export interface ShippedPackage { name: string; version: string; dir: string }
export interface Embedded { package: string; component: string; license: string; file?: string; start?: string; end?: string; text?: string }
export interface LicenceText { file: string; text: string }
export interface Notice {
  name: string;
  version: string;
  license: string | null;
  homepage: string | null;
  note: string | null;
  texts: LicenceText[];
  embedded: (Embedded & { text: string })[];
  problems: string[];
}
export declare const NOTICES_PATH: string;
export declare const ALLOWED: Set<string>;
export declare const REVIEWED: Map<string, { license: string; note: string }>;
export declare const LICENCE_OF: { pattern: RegExp; from: string; why: string }[];
export declare const EMBEDDED: Embedded[];
export interface OwnBuild { name: string; version: string; license: string; homepage: string; note?: string; files: string[] }
export declare const OWN_BUILDS: OwnBuild[];
export declare function ownBuildNotices(projectDir?: string, builds?: OwnBuild[]): Notice[];
export declare function shippedPackages(projectDir?: string): Promise<ShippedPackage[]>;
export declare function spdxOf(pkg: Record<string, unknown>): string | null;
export declare function isAllowed(expression: unknown, allowed?: Set<string>): boolean;
export declare function readmeLicence(readme: string): string | null;
export declare function collectNotices(packages: ShippedPackage[], embedded?: Embedded[]): Notice[];
export declare function renderNotices(notices: Notice[], appName?: string): string;

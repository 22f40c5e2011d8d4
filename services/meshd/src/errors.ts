/** The one error class of meshd; `code` names what failed, for logs and tests. */
export type MeshErrorCode = "MESH_CONFIG" | "MESH_KEY" | "MESH_IDENTITY";

export class MeshError extends Error {
  constructor(
    readonly code: MeshErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "MeshError";
  }
}

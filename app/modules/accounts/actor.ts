export type RoleName = "committee" | "organizer" | "town_admin" | "county_admin" | "supervisor";
export type MembershipStatus = "pending" | "verified" | "declined";

/** The signed-in person and everything `can` needs to know about them. */
export interface Actor {
  id: number;
  displayName: string;
  roles: { role: RoleName; areaId: number; areaPath: string }[];
  memberships: { communityId: number; communityPath: string; status: MembershipStatus }[];
  /** 长辈模式 as the person set it on their account (null or absent: never set; the browser's cookie decides). */
  elderMode?: boolean | null;
}

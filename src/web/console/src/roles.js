// What the console offers each role: a mirror of the API's role table
// (docs/API.md, "Roles"), used only to leave out controls a role cannot
// use. The server decides every call; hiding a button grants nothing.
const kAll = ['admin', 'security', 'account_manager', 'app_owner', 'auditor'];

const kPermissions = {
  'identity.lifecycle': ['admin', 'security', 'app_owner'],
  'identity.revoke': ['admin', 'security', 'app_owner'],
  'limit.set': ['admin', 'security', 'account_manager'],
  'limit.lift': ['admin', 'security', 'account_manager'],
  'approval.decide': ['admin', 'security', 'account_manager'],
  'release.operate': ['admin', 'security', 'app_owner'],
  'posture.read': ['admin', 'security', 'app_owner', 'auditor'],
  'audit.read': ['admin', 'security', 'auditor'],
  'flag.read': kAll,
};

export function can(user, permission) {
  return Boolean(user && (kPermissions[permission] || []).includes(user.role));
}

export const kRoles = kAll;

#include "store/sqlite/fault_injector.h"

#include <cstdio>

namespace warden::sqlite {
namespace {

// A file opened through FaultVfs: our header, then the wrapped VFS's file
// object in the same allocation (szOsFile covers both).
struct FaultFile {
  sqlite3_file base;
  FaultVfs* owner;
  sqlite3_file* real;
};

FaultFile* AsFault(sqlite3_file* file) {
  return reinterpret_cast<FaultFile*>(file);
}
sqlite3_file* Real(sqlite3_file* file) { return AsFault(file)->real; }
const sqlite3_io_methods* RealMethods(sqlite3_file* file) {
  return Real(file)->pMethods;
}
FaultVfs* Owner(sqlite3_vfs* vfs) {
  return static_cast<FaultVfs*>(vfs->pAppData);
}
sqlite3_vfs* Root(sqlite3_vfs* vfs) { return Owner(vfs)->root(); }

// --- I/O methods: forward, except where a fault is armed.

int Close(sqlite3_file* f) { return RealMethods(f)->xClose(Real(f)); }
int ReadFile(sqlite3_file* f, void* buf, int n, sqlite3_int64 offset) {
  return RealMethods(f)->xRead(Real(f), buf, n, offset);
}
int WriteFile(sqlite3_file* f, const void* buf, int n, sqlite3_int64 offset) {
  FaultInjector& faults = AsFault(f)->owner->faults();
  if (faults.disk_full()) {
    faults.CountInjected();
    return SQLITE_FULL;
  }
  return RealMethods(f)->xWrite(Real(f), buf, n, offset);
}
int Truncate(sqlite3_file* f, sqlite3_int64 size) {
  return RealMethods(f)->xTruncate(Real(f), size);
}
int Sync(sqlite3_file* f, int flags) {
  FaultInjector& faults = AsFault(f)->owner->faults();
  faults.PassSyncHold();
  if (faults.TakeSyncFailure()) {
    faults.CountInjected();
    return SQLITE_IOERR_FSYNC;
  }
  return RealMethods(f)->xSync(Real(f), flags);
}
int FileSize(sqlite3_file* f, sqlite3_int64* size) {
  return RealMethods(f)->xFileSize(Real(f), size);
}
int Lock(sqlite3_file* f, int level) {
  return RealMethods(f)->xLock(Real(f), level);
}
int Unlock(sqlite3_file* f, int level) {
  return RealMethods(f)->xUnlock(Real(f), level);
}
int CheckReservedLock(sqlite3_file* f, int* out) {
  return RealMethods(f)->xCheckReservedLock(Real(f), out);
}
int FileControl(sqlite3_file* f, int op, void* arg) {
  return RealMethods(f)->xFileControl(Real(f), op, arg);
}
int SectorSize(sqlite3_file* f) { return RealMethods(f)->xSectorSize(Real(f)); }
int DeviceCharacteristics(sqlite3_file* f) {
  return RealMethods(f)->xDeviceCharacteristics(Real(f));
}
int ShmMap(sqlite3_file* f, int region, int size, int extend,
           void volatile** out) {
  return RealMethods(f)->xShmMap(Real(f), region, size, extend, out);
}
int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
  return RealMethods(f)->xShmLock(Real(f), offset, n, flags);
}
void ShmBarrier(sqlite3_file* f) { RealMethods(f)->xShmBarrier(Real(f)); }
int ShmUnmap(sqlite3_file* f, int delete_flag) {
  return RealMethods(f)->xShmUnmap(Real(f), delete_flag);
}
int Fetch(sqlite3_file* f, sqlite3_int64 offset, int n, void** out) {
  if (RealMethods(f)->iVersion < 3) {
    *out = nullptr;
    return SQLITE_OK;
  }
  return RealMethods(f)->xFetch(Real(f), offset, n, out);
}
int Unfetch(sqlite3_file* f, sqlite3_int64 offset, void* p) {
  if (RealMethods(f)->iVersion < 3) return SQLITE_OK;
  return RealMethods(f)->xUnfetch(Real(f), offset, p);
}

constexpr sqlite3_io_methods kIoMethods = {
    3,
    Close,
    ReadFile,
    WriteFile,
    Truncate,
    Sync,
    FileSize,
    Lock,
    Unlock,
    CheckReservedLock,
    FileControl,
    SectorSize,
    DeviceCharacteristics,
    ShmMap,
    ShmLock,
    ShmBarrier,
    ShmUnmap,
    Fetch,
    Unfetch,
};

// --- VFS methods: open wraps the file; the rest forward to the root VFS.

int Open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags,
         int* out_flags) {
  FaultFile* fault = AsFault(file);
  fault->base.pMethods = nullptr;
  fault->owner = Owner(vfs);
  fault->real = reinterpret_cast<sqlite3_file*>(fault + 1);
  int rc = Root(vfs)->xOpen(Root(vfs), name, fault->real, flags, out_flags);
  if (rc == SQLITE_OK && fault->real->pMethods != nullptr) {
    fault->base.pMethods = &kIoMethods;
  }
  return rc;
}
int Delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  return Root(vfs)->xDelete(Root(vfs), name, sync_dir);
}
int Access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return Root(vfs)->xAccess(Root(vfs), name, flags, out);
}
int FullPathname(sqlite3_vfs* vfs, const char* name, int n, char* out) {
  return Root(vfs)->xFullPathname(Root(vfs), name, n, out);
}
void* DlOpen(sqlite3_vfs* vfs, const char* name) {
  return Root(vfs)->xDlOpen(Root(vfs), name);
}
void DlError(sqlite3_vfs* vfs, int n, char* out) {
  Root(vfs)->xDlError(Root(vfs), n, out);
}
void (*DlSym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
  return Root(vfs)->xDlSym(Root(vfs), handle, symbol);
}
void DlClose(sqlite3_vfs* vfs, void* handle) {
  Root(vfs)->xDlClose(Root(vfs), handle);
}
int Randomness(sqlite3_vfs* vfs, int n, char* out) {
  return Root(vfs)->xRandomness(Root(vfs), n, out);
}
int Sleep(sqlite3_vfs* vfs, int micros) {
  return Root(vfs)->xSleep(Root(vfs), micros);
}
int CurrentTime(sqlite3_vfs* vfs, double* out) {
  return Root(vfs)->xCurrentTime(Root(vfs), out);
}
int GetLastError(sqlite3_vfs* vfs, int n, char* out) {
  return Root(vfs)->xGetLastError(Root(vfs), n, out);
}
int CurrentTimeInt64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return Root(vfs)->xCurrentTimeInt64(Root(vfs), out);
}

}  // namespace

FaultVfs::FaultVfs(FaultInjector& faults, sqlite3_vfs* root)
    : faults_(faults), root_(root) {
  char name[64];
  std::snprintf(name, sizeof name, "warden-fault-%p", static_cast<void*>(this));
  name_ = name;
  vfs_.iVersion = 2;
  vfs_.szOsFile = static_cast<int>(sizeof(FaultFile)) + root->szOsFile;
  vfs_.mxPathname = root->mxPathname;
  vfs_.zName = name_.c_str();
  vfs_.pAppData = this;
  vfs_.xOpen = Open;
  vfs_.xDelete = Delete;
  vfs_.xAccess = Access;
  vfs_.xFullPathname = FullPathname;
  vfs_.xDlOpen = DlOpen;
  vfs_.xDlError = DlError;
  vfs_.xDlSym = DlSym;
  vfs_.xDlClose = DlClose;
  vfs_.xRandomness = Randomness;
  vfs_.xSleep = Sleep;
  vfs_.xCurrentTime = CurrentTime;
  vfs_.xGetLastError = GetLastError;
  vfs_.xCurrentTimeInt64 = CurrentTimeInt64;
}

Result<std::unique_ptr<FaultVfs>> FaultVfs::Register(FaultInjector& faults) {
  sqlite3_vfs* root = sqlite3_vfs_find(nullptr);
  if (root == nullptr || root->iVersion < 2) {
    return Internal("fault injection: no usable default SQLite VFS");
  }
  std::unique_ptr<FaultVfs> vfs(new FaultVfs(faults, root));
  int rc = sqlite3_vfs_register(&vfs->vfs_, /*makeDflt=*/0);
  if (rc != SQLITE_OK) {
    return Internal("fault injection: registering VFS " + vfs->name_ +
                    " failed: " + sqlite3_errstr(rc));
  }
  return vfs;
}

FaultVfs::~FaultVfs() { sqlite3_vfs_unregister(&vfs_); }

}  // namespace warden::sqlite

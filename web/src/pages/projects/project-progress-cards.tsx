import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Empty,
  Flex,
  Image,
  List,
  Popconfirm,
  Space,
  Tag,
  Timeline,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { apiClient, fileBody, unwrap } from '../../api/client.ts';
import type { Milestone, Photo, ProjectEditing } from './project-editing.ts';

type OpenMilestone = (which: 'milestone' | 'milestone-done', target: Milestone | null) => void;

/** Done late is orange, done in time green; not done yet and late red, otherwise gray. */
const milestoneColor = (milestone: Milestone) =>
  milestone.actualOn ? (milestone.late ? 'orange' : 'green') : milestone.late ? 'red' : 'gray';

function MilestoneButtons({
  editing,
  milestone,
  onOpen,
}: {
  editing: ProjectEditing;
  milestone: Milestone;
  onOpen: OpenMilestone;
}) {
  const { id, save, report } = editing;
  return (
    <Space size={0} wrap style={{ marginLeft: -7 }}>
      {!milestone.actualOn && (
        <Button
          type="link"
          size="small"
          onClick={() => onOpen('milestone-done', milestone)}
          data-testid="milestone-done"
        >
          标记完成
        </Button>
      )}
      <Button
        type="link"
        size="small"
        onClick={() => onOpen('milestone', milestone)}
        data-testid="milestone-edit"
      >
        修改
      </Button>
      <Popconfirm
        title={`删除里程碑“${milestone.name}”？`}
        okText="删除"
        okButtonProps={{ danger: true }}
        onConfirm={() =>
          report(
            save(
              () =>
                unwrap(
                  apiClient.DELETE('/api/projects/{id}/milestones/{milestoneId}', {
                    params: { path: { id, milestoneId: milestone.id } },
                  }),
                ),
              `已删除里程碑“${milestone.name}”`,
            ),
          )
        }
      >
        <Button type="link" size="small" danger data-testid="milestone-delete">
          删除
        </Button>
      </Popconfirm>
    </Space>
  );
}

function MilestoneItem({
  editing,
  milestone,
  onOpen,
}: {
  editing: ProjectEditing;
  milestone: Milestone;
  onOpen: OpenMilestone;
}) {
  return (
    <Flex vertical gap={2} data-testid="milestone-item">
      <Space size={8} wrap>
        <Typography.Text strong>{milestone.name}</Typography.Text>
        {milestone.late && (
          <Tag color={milestone.actualOn ? 'orange' : 'red'}>
            {milestone.actualOn ? '延期完成' : '已延期'}
          </Tag>
        )}
      </Space>
      <Typography.Text type="secondary">
        计划 {milestone.plannedOn} · 实际 {milestone.actualOn ?? '未完成'}
      </Typography.Text>
      {editing.writable && <MilestoneButtons editing={editing} milestone={milestone} onOpen={onOpen} />}
    </Flex>
  );
}

/** 里程碑（计划 / 实际）: a timeline of the milestones, late ones marked. */
export function MilestonesCard({ editing, onOpen }: { editing: ProjectEditing; onOpen: OpenMilestone }) {
  const { milestones } = editing.project;
  return (
    <Card
      title="里程碑（计划 / 实际）"
      data-testid="project-milestones"
      extra={
        editing.writable && (
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() => onOpen('milestone', null)}
            data-testid="milestone-add"
          >
            添加里程碑
          </Button>
        )
      }
    >
      {milestones.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="还没有里程碑" />
      ) : (
        <Timeline
          items={milestones.map((milestone) => ({
            color: milestoneColor(milestone),
            content: <MilestoneItem editing={editing} milestone={milestone} onOpen={onOpen} />,
          }))}
        />
      )}
    </Card>
  );
}

/** Uploads photos of the project or of one progress report (`reportId`). */
function PhotoUpload({ editing, reportId }: { editing: ProjectEditing; reportId?: string }) {
  const { id, save, report } = editing;
  const [uploading, setUploading] = useState(false);
  const uploadPhoto = (file: File) => {
    setUploading(true);
    void report(
      save(
        () =>
          unwrap(
            apiClient.POST('/api/projects/{id}/photos', {
              params: { path: { id }, query: { fileName: file.name, reportId } },
              ...fileBody(file),
            }),
          ),
        `已上传 ${file.name}`,
      ),
    ).finally(() => setUploading(false));
    return false;
  };
  return (
    <Upload
      accept="image/jpeg,image/png,image/webp"
      showUploadList={false}
      multiple
      beforeUpload={uploadPhoto}
    >
      <Button size="small" icon={<UploadOutlined />} loading={uploading} data-testid="project-photo-upload">
        上传照片
      </Button>
    </Upload>
  );
}

function DeletePhotoButton({ editing, photo }: { editing: ProjectEditing; photo: Photo }) {
  const { id, save, report } = editing;
  return (
    <Popconfirm
      title="删除这张照片？"
      description={`${photo.fileName}，删除后不可恢复`}
      okText="删除"
      okButtonProps={{ danger: true }}
      onConfirm={() =>
        report(
          save(
            () =>
              unwrap(
                apiClient.DELETE('/api/projects/{id}/photos/{photoId}', {
                  params: { path: { id, photoId: photo.id } },
                }),
              ),
            `已删除照片 ${photo.fileName}`,
          ),
        )
      }
    >
      <Button
        type="link"
        size="small"
        danger
        aria-label={`删除照片 ${photo.fileName}`}
        data-testid="project-photo-delete"
      >
        删除
      </Button>
    </Popconfirm>
  );
}

function Photos({ editing, photos }: { editing: ProjectEditing; photos: Photo[] }) {
  return (
    <Image.PreviewGroup>
      <Space wrap size={12} align="start">
        {photos.map((photo) => (
          <Flex key={photo.id} vertical align="center" gap={2} data-testid="project-photo">
            <Image
              src={`/api/projects/${editing.id}/photos/${photo.id}`}
              width={96}
              height={96}
              style={{ objectFit: 'cover', borderRadius: 6 }}
              alt={photo.fileName}
            />
            {editing.writable && <DeletePhotoButton editing={editing} photo={photo} />}
          </Flex>
        ))}
      </Space>
    </Image.PreviewGroup>
  );
}

/** 进度报告: the project's own photos, then each progress report with its photos. */
export function ReportsCard({ editing, onAdd }: { editing: ProjectEditing; onAdd: () => void }) {
  const { project, writable } = editing;
  return (
    <Card
      title="进度报告"
      data-testid="project-reports"
      extra={
        writable && (
          <Space>
            <PhotoUpload editing={editing} />
            <Button size="small" icon={<PlusOutlined />} onClick={onAdd} data-testid="report-add">
              提交进度报告
            </Button>
          </Space>
        )
      }
    >
      {project.photos.length > 0 && (
        <div style={{ marginBottom: 12 }}>
          <Photos editing={editing} photos={project.photos} />
        </div>
      )}
      <List
        dataSource={project.reports}
        locale={{ emptyText: '还没有进度报告' }}
        renderItem={(entry) => (
          <List.Item extra={writable && <PhotoUpload editing={editing} reportId={entry.id} />}>
            <List.Item.Meta
              title={
                <Space>
                  <span>{entry.reportedOn}</span>
                  <Tag color="blue">形象进度 {entry.progressPct}%</Tag>
                  {entry.createdByName && (
                    <Typography.Text type="secondary">{entry.createdByName}</Typography.Text>
                  )}
                </Space>
              }
              description={
                <Space direction="vertical">
                  <Typography.Text>{entry.summary}</Typography.Text>
                  {entry.photos.length > 0 && <Photos editing={editing} photos={entry.photos} />}
                </Space>
              }
            />
          </List.Item>
        )}
      />
    </Card>
  );
}
